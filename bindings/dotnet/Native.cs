// P/Invoke declarations for libeidpl (include/eidpl.h) and the SafeHandles that own its objects.
// Everything here is internal: the public API is ServiceProvider, DocumentVerifier, Keys.
//
// Contract (ffi/README.md): every input is a pointer plus a length (we pass UTF-8 byte arrays,
// never the platform's default string marshalling); every `char **` result is copied as UTF-8 and
// freed with eidpl_string_free; every error object is owned by an ErrorHandle and freed with
// eidpl_error_free; the service provider is owned by a ServiceProviderHandle (eidpl_wk_sp_free).
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Eidpl
{
    internal static class Native
    {
        // Resolved by the runtime as libeidpl.so (Linux), libeidpl.dylib, eidpl.dll: put it on
        // LD_LIBRARY_PATH, next to the application, or map it with a mono <dllmap>.
        internal const string Lib = "eidpl";

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr eidpl_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void eidpl_string_free(IntPtr s);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_error_code(ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr eidpl_error_code_name(ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr eidpl_error_message(ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr eidpl_error_details_json(ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void eidpl_error_free(IntPtr err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_keys_generate(byte[] options, UIntPtr optionsLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_verify_document(byte[] document, UIntPtr documentLen,
            byte[] options, UIntPtr optionsLen, out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_sp_new(byte[] settings, UIntPtr settingsLen, int format,
            byte[] baseDir, UIntPtr baseDirLen, out ServiceProviderHandle sp, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void eidpl_wk_sp_free(IntPtr sp);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_authn_request(ServiceProviderHandle sp, byte[] options,
            UIntPtr optionsLen, out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_artifact_resolve_request(ServiceProviderHandle sp,
            byte[] artifact, UIntPtr artifactLen, out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_resolve_artifact(ServiceProviderHandle sp,
            byte[] artifact, UIntPtr artifactLen, byte[] authnRequestId, UIntPtr authnRequestIdLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_validate_artifact_response(ServiceProviderHandle sp,
            byte[] response, UIntPtr responseLen, byte[] expected, UIntPtr expectedLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_logout_request(ServiceProviderHandle sp,
            byte[] nameId, UIntPtr nameIdLen, byte[] sessionIndex, UIntPtr sessionIndexLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_validate_logout_response(ServiceProviderHandle sp,
            byte[] response, UIntPtr responseLen, byte[] logoutRequestId, UIntPtr logoutRequestIdLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_logout(ServiceProviderHandle sp,
            byte[] nameId, UIntPtr nameIdLen, byte[] sessionIndex, UIntPtr sessionIndexLen,
            out IntPtr outJson, out ErrorHandle err);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int eidpl_wk_metadata(ServiceProviderHandle sp, out IntPtr outXml,
            out ErrorHandle err);

        // ------------------------------------------------------------ helpers

        internal static UIntPtr Len(byte[] b) => new UIntPtr(b == null ? 0u : (uint)b.Length);

        /// UTF-8 bytes of a string; null stays null (NULL pointer, length 0: "empty").
        internal static byte[] Utf8(string s) => s == null ? null : Encoding.UTF8.GetBytes(s);

        /// Copies a NUL-terminated UTF-8 string (does not free it).
        internal static string CopyUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero)
            {
                return null;
            }
            int len = 0;
            while (Marshal.ReadByte(p, len) != 0)
            {
                len++;
            }
            var bytes = new byte[len];
            Marshal.Copy(p, bytes, 0, len);
            return Encoding.UTF8.GetString(bytes);
        }

        /// The result of a fallible call: the copied string on success (the native one is freed
        /// either way), an EidplException built from (and freeing) the error object on failure.
        internal static string Finish(int status, IntPtr outString, ErrorHandle err)
        {
            try
            {
                if (status != 0)
                {
                    throw EidplException.From(status, err);
                }
                return CopyUtf8(outString);
            }
            finally
            {
                eidpl_string_free(outString);
                err?.Dispose();
            }
        }
    }

    /// Owns an `eidpl_error *`; released with eidpl_error_free.
    internal sealed class ErrorHandle : SafeHandle
    {
        public ErrorHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Native.eidpl_error_free(handle);
            return true;
        }
    }

    /// Owns an `eidpl_wk_sp *`; released with eidpl_wk_sp_free. The P/Invoke marshaller
    /// AddRefs it for the length of every call, so Dispose while another thread is inside a call
    /// frees the native object only after that call returns.
    internal sealed class ServiceProviderHandle : SafeHandle
    {
        public ServiceProviderHandle() : base(IntPtr.Zero, true) { }

        public override bool IsInvalid => handle == IntPtr.Zero;

        protected override bool ReleaseHandle()
        {
            Native.eidpl_wk_sp_free(handle);
            return true;
        }
    }
}
