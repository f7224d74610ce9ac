/**
 * One mocha suite per capture mode, each test with a fresh emulator and its own provider host: the
 * set-up every host-level suite shares, so that each file holds only what it tests.
 */
import { CAPTURE_MODES, captureProvider, type CapturedProvider, type CaptureMode } from "../harness/capture";
import { MiniEngine } from "../harness/engine";
import type { HostOptions, ProviderHost } from "../harness/host";
import { startBoxEmulator, type BoxEmulator, type EmulatorOptions } from "../provider/testing";
import { expectNoCanary } from "./helpers";

/** How a suite's tests are set up. */
export interface HostSuiteOptions {
    /** The emulator each test gets, fresh (default: any token accepted, nobody's directory). */
    emulator?: EmulatorOptions;
    /**
     * Secrets that must appear neither in what a test's host printed nor in the request bodies the
     * emulator recorded; checked after every test.
     */
    canaries?: string[];
    /** The modes to run in (default: CAPTURE_MODES). */
    modes?: readonly CaptureMode[];
    /** Mocha timeout per test (default 300 s). */
    timeoutMs?: number;
}

/** What a test of a host-level suite works with. */
export interface HostSuite {
    /** The capture mode of this suite. */
    readonly mode: CaptureMode;
    /** The provider as this mode captures it. */
    readonly captured: CapturedProvider;
    /** This test's emulator. */
    readonly box: BoxEmulator;
    /** The provider host this test started last, if any. */
    readonly host: ProviderHost | undefined;
    /** Starts a provider host for this test (stopped after it, if the test did not), not yet configured. */
    startHost(options?: Omit<HostOptions, "cwd">): Promise<ProviderHost>;
    /**
     * Starts this test's host, configures it with `box:baseUrl` (the emulator's, unless given) and
     * `config` (secrets wrapped as the engine does), with `env` added to its environment, and returns
     * an engine over it.
     */
    start(
        config: Record<string, string>,
        secretKeys?: string[],
        baseUrl?: string,
        env?: Record<string, string | undefined>,
    ): Promise<MiniEngine>;
}

/** Declares `title(mode)` once per capture mode, with `body` defining its tests over a {@link HostSuite}. */
export function describeInHost(
    title: (mode: CaptureMode) => string,
    options: HostSuiteOptions,
    body: (suite: HostSuite) => void,
): void {
    for (const mode of options.modes ?? CAPTURE_MODES) {
        describe(title(mode), function () {
            this.timeout(options.timeoutMs ?? 300_000);
            let captured: CapturedProvider | undefined;
            let box: BoxEmulator | undefined;
            let hosts: ProviderHost[] = [];
            const canaries = options.canaries ?? [];

            before(async () => {
                captured = await captureProvider(mode);
            });
            beforeEach(async () => {
                box = await startBoxEmulator(options.emulator ?? {});
            });
            afterEach(async () => {
                for (const host of hosts) {
                    expectNoCanary(canaries, host.output);
                    await host.stop();
                }
                hosts = [];
                if (box) {
                    expectNoCanary(canaries, JSON.stringify(box.requests.map((r) => r.body)));
                    await box.close();
                    box = undefined;
                }
            });

            const suite: HostSuite = {
                mode,
                get captured() {
                    if (!captured)
                        throw new Error("the provider is captured in `before`; use it inside a test");
                    return captured;
                },
                get box() {
                    if (!box)
                        throw new Error("each test's emulator starts in `beforeEach`; use it inside a test");
                    return box;
                },
                get host() {
                    return hosts[hosts.length - 1];
                },
                async startHost(hostOptions = {}) {
                    const host = await suite.captured.startHost(hostOptions);
                    hosts.push(host);
                    return host;
                },
                async start(config, secretKeys = [], baseUrl, env) {
                    const started = await suite.startHost({ env });
                    await started.configure(
                        { "box:baseUrl": baseUrl ?? suite.box.baseUrl, ...config },
                        secretKeys,
                    );
                    return new MiniEngine(started);
                },
            };
            body(suite);
        });
    }
}
