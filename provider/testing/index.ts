/**
 * Test support for programs that use `SessionTermination`: a local Box emulator that needs no Box
 * account. Import from `pulumi-box-session-termination/testing`.
 */
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
