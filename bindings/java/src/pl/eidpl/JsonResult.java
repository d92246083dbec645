package pl.eidpl;

/** Base of every result: the JSON text libeidpl returned and its parsed form. */
public abstract class JsonResult {
    private final String json;
    private final Object parsed;

    JsonResult(String json) {
        this.json = json;
        this.parsed = Json.parse(json);
    }

    /** The result exactly as libeidpl returned it. */
    public String getJson() {
        return json;
    }

    /** The parsed JSON ({@code Map<String, Object>}; see {@link Json}). */
    public Object getParsed() {
        return parsed;
    }

    String s(String... path) {
        return Json.str(parsed, path);
    }

    @Override
    public String toString() {
        return json;
    }
}
