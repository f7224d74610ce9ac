/**
 * A throwaway JWT app for tests: a fresh RSA key pair and Box's app config JSON, so JWT auth can be
 * exercised end to end against the emulator without a Box developer console.
 */
import * as crypto from "crypto";
import type { EmulatorApp } from "./tokens";

/** A JWT app for tests: an RSA key pair, the public key registered under a random key ID, and Box's config JSON. */
export interface TestJwtApp {
    /** Register this with the emulator (`apps` option or `addApp`). */
    app: EmulatorApp;
    /** Box's app config JSON text, with the private key encrypted under the passphrase, as Box's console issues it. */
    configJson: string;
}

/** Creates a JWT app in Box's config-file format, with an encrypted PKCS#8 private key. */
export function createTestJwtApp(
    fields: {
        /** Client ID; random if unset. */
        clientId?: string;
        /** Client secret; random if unset. */
        clientSecret?: string;
        /** Enterprise ID (default `900001`). */
        enterpriseId?: string;
        /** Users the app may act as. */
        userIds?: string[];
        /** Passphrase of the private key; random if unset. */
        passphrase?: string;
    } = {},
): TestJwtApp {
    const passphrase = fields.passphrase ?? crypto.randomBytes(12).toString("hex");
    const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase },
    });
    const publicKeyId = crypto.randomBytes(4).toString("hex");
    const app: EmulatorApp = {
        clientId: fields.clientId ?? `jwt_${crypto.randomBytes(8).toString("hex")}`,
        clientSecret: fields.clientSecret ?? crypto.randomBytes(16).toString("hex"),
        enterpriseId: fields.enterpriseId ?? "900001",
        userIds: fields.userIds ?? [],
        publicKeys: { [publicKeyId]: publicKey },
    };
    const configJson = JSON.stringify(
        {
            boxAppSettings: {
                clientID: app.clientId,
                clientSecret: app.clientSecret,
                appAuth: { publicKeyID: publicKeyId, privateKey, passphrase },
            },
            enterpriseID: app.enterpriseId,
        },
        null,
        2,
    );
    return { app, configJson };
}
