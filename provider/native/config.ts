/**
 * The provider's own configuration (`box:*` stack config, or an explicit provider's arguments) as
 * Configure's `args` carry it: still wrapped where it is secret, which is how the plugin can tell a
 * credential given in plain text, something the dynamic provider never sees. (CheckConfig cannot: at
 * this engine version its inputs always arrive with secrets unwrapped, sdk/go/common/resource/plugin
 * provider_plugin.go `CheckConfig`.)
 */
import { SETTINGS } from "../core/settings";
import { isSecret } from "./values";

/** Keys the engine itself adds to a provider's inputs. */
const ENGINE_KEYS = ["version", "pluginDownloadURL"];

/**
 * Warns through `warn` about each credential given in plain text and each key that is not a setting.
 * Nothing is refused here: every value is checked where it is used, with errors naming the setting.
 */
export function configWarnings(news: Record<string, unknown>, warn: (line: string) => void): void {
    const names: string[] = SETTINGS.map((s) => s.name);
    for (const [key, value] of Object.entries(news)) {
        const spec = SETTINGS.find((s) => s.name === key);
        if (!spec) {
            if (!ENGINE_KEYS.includes(key) && !key.startsWith("__"))
                warn(
                    `box:${key} is not a setting of the box provider (expected one of ${names.join(", ")}); it is ignored.`,
                );
            continue;
        }
        if (spec.secret && value !== undefined && value !== null && value !== "" && !isSecret(value))
            warn(
                `${spec.configKey} is a credential given in plain text, so Pulumi stores it unencrypted: ` +
                    `set it with \`pulumi config set --secret ${spec.configKey}\` (or pass it as a secret to the provider).`,
            );
    }
}
