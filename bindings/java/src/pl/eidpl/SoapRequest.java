package pl.eidpl;

/** A signed SOAP message to POST ({@code Content-Type: text/xml}) to {@link #getUrl()}. */
public final class SoapRequest extends JsonResult {
    SoapRequest(String json) {
        super(json);
    }

    public String getId() { return s("id"); }
    public String getSoap() { return s("soap"); }
    public String getUrl() { return s("url"); }
}
