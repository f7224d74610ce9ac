/**
 * Test support for programs that use `SessionTermination`: a local Box emulator that needs no Box
 * account, and a test stack that runs a program through preview, up, refresh and destroy with
 * the real Pulumi engine (the `pulumi` CLI, through its Automation API). Import from `pulumi-box-session-termination/testing`.
 */
export {
    createTestStack,
    MIN_CLI_VERSION,
    type ResourceState,
    type StepResult,
    type TestStack,
    type TestStackOptions,
} from "./test-stack";
export {
    ACCEPTED_MESSAGE,
    createTestJwtApp,
    startBoxEmulator,
    type AcceptedTermination,
    type BoxEmulator,
    type EmulatorApp,
    type EmulatorDirectory,
    type EmulatorOptions,
    type Fault,
    type RecordedRequest,
    type TestJwtApp,
} from "./emulator";
