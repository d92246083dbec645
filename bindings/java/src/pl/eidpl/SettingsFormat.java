package pl.eidpl;

/** The settings format of {@link ServiceProvider#fromSettings} ({@code EIDPL_SETTINGS_*}). */
public enum SettingsFormat {
    /** JSON if the text starts with '{', TOML otherwise. */
    AUTO(EidplLibrary.EIDPL_SETTINGS_AUTO),
    JSON(EidplLibrary.EIDPL_SETTINGS_JSON),
    TOML(EidplLibrary.EIDPL_SETTINGS_TOML);

    final int value;

    SettingsFormat(int value) {
        this.value = value;
    }
}
