// pulumi-language-nodejs, as this repository builds it: the language host the pinned `pulumi` starts
// to run a Node.js program or policy pack.
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) has no
// release tags, and the Go module proxy these machines reach serves none of its versions (see
// pulumi-cli/README.md for what was tried). This stand-in does the one thing a host must do for
// the programs this repository runs: start Node on @pulumi/pulumi's own `cmd/run` (programs) or
// `cmd/run-policy-pack` (policy packs) with the arguments and environment the engine's request
// carries, so the program, the engine and the provider host are all Pulumi's. It is written against
// the gRPC contract in sdk/v3's proto, not copied: it reports no required packages (the engine then
// loads each provider plugin when a resource first needs it), has no `--sync` pipes (synchronous
// invokes, which SessionTermination never makes), and generates no code.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"google.golang.org/grpc"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-box-session-termination/pulumi-cli/internal/langhost"
)

type host struct{ langhost.Base }

func main() {
	langhost.Serve("pulumi-language-nodejs", func(base langhost.Base) pulumirpc.LanguageRuntimeServer {
		return &host{base}
	})
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("node", "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: "node", Version: strings.TrimSpace(string(out))}, nil
}

// Installing is the user's (npm ci): saying so beats a `pulumi install` that succeeds doing nothing.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return fmt.Errorf("this build's pulumi-language-nodejs does not install dependencies: run npm ci in %s",
		req.GetInfo().GetProgramDirectory())
}

// options are the Pulumi.yaml `runtime.options` this host honours.
type options struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseOptions(info *pulumirpc.ProgramInfo) options {
	opts := options{typescript: true}
	if info == nil || info.GetOptions() == nil {
		return opts
	}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		opts.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		opts.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		opts.nodeargs = strings.Fields(v)
	}
	return opts
}

func (o options) env() []string {
	var env []string
	if o.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

// resolve finds an @pulumi/pulumi module as the program's own Node would, so the program runs on
// the SDK it installed.
func resolve(module, dir string) (string, error) {
	out, err := exec.Command("node", "-e",
		"process.stdout.write(require.resolve(process.argv[1], { paths: [process.argv[2]] }))",
		module, dir).Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s: is @pulumi/pulumi installed (npm ci)? %w", module, dir, err)
	}
	return string(out), nil
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	runPath, err := resolve("@pulumi/pulumi/cmd/run", info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	opts := parseOptions(info)
	args := append([]string{}, opts.nodeargs...)
	args = append(args, runPath)
	flagArg := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.EngineAddress)
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.Tracing)
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	// @pulumi/pulumi reads config keys in the older `<namespace>:config:<name>` form.
	cfg, secretKeys, err := langhost.ConfigJSON(req, func(k string) (string, error) {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		return key.Namespace() + ":config:" + key.Name(), nil
	})
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	return h.RunChild(ctx, func(runCtx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(runCtx, "node", args...)
		cmd.Env = append(os.Environ(), "PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+secretKeys)
		cmd.Env = append(cmd.Env, opts.env()...)
		return cmd
	}), nil
}
