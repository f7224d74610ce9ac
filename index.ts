/**
 * The repository's own Pulumi program (named by the root Pulumi.yaml): the gitops example run on its
 * sample revocations file, importing the provider from this checkout rather than from npm.
 * `npm run demo` takes this program through preview, up, edits and destroy against a local Box.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "./provider";
import { parseRevocations } from "./examples/gitops/revocations";

const config = new pulumi.Config();
const file = config.get("revocationsFile") ?? path.join(__dirname, "examples", "gitops", "revocations.yaml");

/** Box's acknowledgement for each revocation, by name. */
export const messages: Record<string, pulumi.Output<string>> = {};
for (const r of parseRevocations(fs.readFileSync(file, "utf8"), file)) {
    const { name, ...args } = r;
    messages[name] = new SessionTermination(name, args).message;
}
