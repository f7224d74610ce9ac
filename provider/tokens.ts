/**
 * The type tokens the engine records for a `SessionTermination`, one per front door, in one place:
 * the policy pack must recognize both, and `isInstance` breaks silently if a token drifts from what
 * the resource registers. Pure constants: imported from the program, the plugin and policy packs.
 */

/** The module and name both front doors register the resource under. */
export const RESOURCE_MODULE = "box";
/** See {@link RESOURCE_MODULE}. */
export const RESOURCE_NAME = "SessionTermination";

/** How Pulumi types a dynamic resource: `pulumi-nodejs:dynamic/<module>:<name>`. */
export const DYNAMIC_TYPE = `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${RESOURCE_NAME}`;

/** The native provider's type (`<package>:index:<name>`), as schema/box.schema.json declares it. */
export const NATIVE_TYPE = `box:index:${RESOURCE_NAME}`;
