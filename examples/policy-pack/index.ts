/**
 * A policy pack enforcing the organization's revocation rules on every stack:
 *
 *   pulumi policy publish <org>      # from this directory
 *   pulumi policy enable <org>/box-revocations latest
 *
 * or, locally: `pulumi preview --policy-pack <path to this directory>` in a stack's project.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("box-revocations", { policies });
