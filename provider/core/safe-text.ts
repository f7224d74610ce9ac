/*
 * Text made safe to leave the provider (an error message, a log line): secrets replaced, and Box's
 * own text unable to forge lines of what `pulumi up` prints. Pure.
 */
/**
 * Box's text as it may appear in what `pulumi up` prints: control characters (terminal escapes, line
 * breaks that would fake another line of the report) become spaces.
 */
export function printable(text: string): string {
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    return String(text).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

const REDACTED = "[REDACTED]";

/**
 * Removes every known secret, and anything shaped like a bearer credential, from a text that is about
 * to leave the provider (an error message or a log line). A last line of defence: no code path is
 * meant to put a secret in such a text, but Box's answer is echoed in messages and we do not control it.
 */
export function redact(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) {
        // Short values (a "1" subject ID) would blank unrelated text and are not credentials anyway.
        if (secret && secret.length >= 8) out = out.split(secret).join(REDACTED);
    }
    return out.replace(/(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}
