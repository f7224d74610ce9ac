/**
 * GitOps revocations: a reviewed YAML file, one `SessionTermination` per entry. A pull request that
 * edits the file gets a `pulumi preview` listing exactly who would be cut off; merging and running
 * `pulumi up` does it. The repository's root Pulumi.yaml runs this same logic on the sample file.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SessionTermination } from "pulumi-box-session-termination";
import { parseRevocations } from "./revocations";

const config = new pulumi.Config();
const file = config.get("revocationsFile") ?? path.join(__dirname, "revocations.yaml");

/** Box's acknowledgement for each revocation, by name. */
export const messages: Record<string, pulumi.Output<string>> = {};
for (const { name, ...args } of parseRevocations(fs.readFileSync(file, "utf8"), file)) {
    messages[name] = new SessionTermination(name, args).message;
}
