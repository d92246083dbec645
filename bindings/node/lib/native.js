'use strict';
// Loads the addon built by `napi build --platform` (eidpl.<platform>.node beside package.json).
//
// Node links its own OpenSSL statically and exports its symbols. Loaded the default way, the
// addon's OpenSSL calls (and those of the system libssl/libcrypto it depends on) would bind to
// Node's copy: whatever version and build options this Node has. RTLD_DEEPBIND makes the addon and
// its libraries resolve their own symbols first, so eidpl runs on the system OpenSSL it was built
// and tested against, on every Node version. napi_* symbols still come from Node.
const os = require('node:os');
const path = require('node:path');

function platformName() {
  const { platform, arch } = process;
  if (platform !== 'linux') return `${platform}-${arch}`;
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime;
  return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
}

function loadNative() {
  const file =
    process.env.EIDPL_NODE_ADDON || path.join(__dirname, '..', `eidpl.${platformName()}.node`);
  const { dlopen } = os.constants;
  let flags = dlopen.RTLD_NOW;
  if (process.platform === 'linux') {
    if (dlopen.RTLD_DEEPBIND === undefined) {
      throw new Error(
        'eidpl needs glibc (RTLD_DEEPBIND) on Linux to keep its OpenSSL apart from Node\'s; ' +
          'this platform (musl?) is not supported',
      );
    }
    flags |= dlopen.RTLD_DEEPBIND;
  }
  const module = { exports: {} };
  try {
    process.dlopen(module, file, flags);
  } catch (e) {
    const hint =
      e.code === 'ERR_DLOPEN_FAILED' && /No such file|cannot open shared object file/.test(e.message)
        ? ` (build it: \`npm run build\` in ${path.join(__dirname, '..')})`
        : '';
    e.message = `cannot load the eidpl addon ${file}${hint}: ${e.message}`;
    throw e;
  }
  return module.exports;
}

module.exports = { loadNative, platformName };
