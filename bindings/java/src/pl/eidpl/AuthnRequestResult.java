package pl.eidpl;

/**
 * A signed AuthnRequest: keep {@link #getId()} in the user's session; send the browser
 * {@link #getHtmlForm()} (or POST SAMLRequest and RelayState to the destination yourself).
 */
public final class AuthnRequestResult extends JsonResult {
    AuthnRequestResult(String json) {
        super(json);
    }

    public String getId() { return s("id"); }
    public String getXml() { return s("xml"); }
    public String getSamlRequest() { return s("saml_request"); }
    public String getDestination() { return s("destination"); }
    public String getRelayState() { return s("relay_state"); }
    public String getHtmlForm() { return s("html_form"); }
}
