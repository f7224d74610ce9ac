/**
 * The repository's own Pulumi program (named by the root Pulumi.yaml): the gitops example run on its
 * sample revocations file, importing the provider from this checkout rather than from npm.
 * `npm run demo` takes this program through preview, up, edits and destroy against a local Box.
 *
 * The sample names people who may exist somewhere, so this program refuses to run unless the Box API
 * origin is this machine (the emulator): a `pulumi up` in a clone must never cut off anyone for real.
 * To deploy your own revocations, copy examples/gitops.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "../../provider";
import { loadRevocations } from "../../provider/revocations";

const origin = new pulumi.Config("box").get("baseUrl") ?? process.env.BOX_BASE_URL ?? "https://api.box.com";
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(origin)) {
    throw new Error(
        `This repository's root program revokes sample people and runs only against a local Box emulator ` +
            `(box:baseUrl or BOX_BASE_URL on 127.0.0.1, e.g. from \`npm run emulator\`), not ${origin}. ` +
            `To deploy your own revocations, copy examples/gitops.`,
    );
}

const config = new pulumi.Config();
const file = config.get("revocationsFile") ?? path.join(__dirname, "..", "gitops", "revocations.yaml");

/** Box's acknowledgement for each revocation, by name. */
export const messages: Record<string, pulumi.Output<string>> = {};
for (const { name, ...args } of loadRevocations(file)) {
    messages[name] = new SessionTermination(name, args).message;
}
