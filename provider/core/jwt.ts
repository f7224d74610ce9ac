/**
 * Box's JWT assertion for server authentication: what it claims and how it is signed. Pure apart
 * from the signing key and the clock it is given.
 */
import * as crypto from "crypto";
import { BoxOAuthError } from "./errors";
import type { JwtAppSettings, Subject } from "./settings-credentials";

/** Base64url without padding, as JWTs encode their parts. */
function base64url(data: Buffer | string): string {
    return Buffer.from(data).toString("base64url");
}

/**
 * The `aud` every JWT assertion names: Box checks it against its own token URL, so a gateway or proxy
 * in front of Box (another origin) forwards an assertion Box still accepts.
 */
export const BOX_TOKEN_AUDIENCE = "https://api.box.com/oauth2/token";

/**
 * Builds Box's JWT assertion, signed RS256 with the app's private key: `kid` is the public key ID;
 * claims `iss` (client ID), `sub` and `box_sub_type` (the subject), `aud` (the token endpoint), a
 * unique `jti`, and `exp` 45 s after issue (Box allows at most 60; the margin absorbs slow requests).
 */
export function buildJwtAssertion(
    app: JwtAppSettings,
    subject: Subject,
    audience: string,
    nowSeconds: number,
    jti: string = crypto.randomBytes(32).toString("hex"),
): string {
    const header = { alg: "RS256", typ: "JWT", kid: app.publicKeyId };
    const claims = {
        iss: app.clientId,
        sub: subject.id,
        box_sub_type: subject.type,
        aud: audience,
        jti,
        iat: nowSeconds,
        exp: nowSeconds + 45,
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    let key: crypto.KeyObject;
    try {
        key = crypto.createPrivateKey({
            key: app.privateKey,
            format: "pem",
            passphrase: app.passphrase ?? "",
        });
    } catch (err) {
        // Node's message says what is wrong with the key (bad passphrase, unsupported format), never the key.
        const reason = (err as Error).message.split("\n")[0];
        throw new BoxOAuthError({
            status: 0,
            error: "invalid_private_key",
            description: `cannot open the JWT app's private key (${reason})`,
            hint: "Check boxAppSettings.appAuth.privateKey and passphrase in the app config.",
        });
    }
    if (key.asymmetricKeyType !== "rsa") {
        // Node's own words for this ("invalid digest") say nothing a user can act on.
        const type = String(key.asymmetricKeyType ?? "unknown").toUpperCase();
        throw new BoxOAuthError({
            status: 0,
            error: "invalid_private_key",
            description: `the JWT app's private key is ${/^[AEIOU]/.test(type) ? "an" : "a"} ${type} key; Box signs JWT assertions with RS256, which needs an RSA key`,
            hint: "Generate the app's keypair in the Box Developer Console (it makes an RSA key), or add an RSA public key there.",
        });
    }
    const signature = crypto.sign("sha256", Buffer.from(signingInput), key);
    return `${signingInput}.${base64url(signature)}`;
}
