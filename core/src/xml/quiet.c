/* libxml2's generic error handler is variadic, which stable Rust cannot define. This one drops
 * the message: while eidpl parses, libxml2's fixed-text errors ("xmlParseChunk: encoder error")
 * never reach the host's stderr. Installed and removed by src/xml/quiet.rs. */
void eidpl_swallow_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}
