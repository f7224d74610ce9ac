// pulumi-language-python, as this repository builds it: the language host the pinned `pulumi` starts
// to run a Python program and to generate a Python SDK (`pulumi package gen-sdk --language python`).
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is
// not served by the Go module proxy these machines reach (pulumi-cli/README.md). This one runs the
// program the way Pulumi's does: Python on Pulumi's own `pulumi-language-python-exec` (from sdk/v3,
// copied beside this host by scripts/pulumi-cli.ts) with the engine's arguments, so the program, its
// `pulumi` package from PyPI and the engine are all Pulumi's; and it generates SDKs with pkg/v3's own
// Python code generator. It does not install dependencies (the user's pip does), and knows only the
// `virtualenv` runtime option.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	grpc "google.golang.org/grpc"

	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-box-session-termination/pulumi-cli/internal/langhost"
)

const name = "pulumi-language-python"

type host struct{ langhost.Base }

func main() {
	langhost.Serve(name, func(base langhost.Base) pulumirpc.LanguageRuntimeServer { return &host{base} })
}

// virtualenv is the program's virtualenv when Pulumi.yaml names one (relative to the project).
func virtualenv(info *pulumirpc.ProgramInfo) string {
	if info != nil && info.GetOptions() != nil {
		if venv, ok := info.GetOptions().AsMap()["virtualenv"].(string); ok && venv != "" {
			if !filepath.IsAbs(venv) {
				venv = filepath.Join(info.GetRootDirectory(), venv)
			}
			return venv
		}
	}
	return ""
}

// python is the interpreter a program runs on: its virtualenv's, else python3 from PATH.
func python(info *pulumirpc.ProgramInfo) string {
	if venv := virtualenv(info); venv != "" {
		return filepath.Join(venv, "bin", "python")
	}
	return "python3"
}

// activated is env with the virtualenv activated as its activate script would (PATH, VIRTUAL_ENV, no
// PYTHONHOME), so what the program starts (python, pip, tools) is the virtualenv's too.
func activated(env []string, venv string) []string {
	if venv == "" {
		return env
	}
	out := make([]string, 0, len(env)+2)
	path := ""
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "PATH="):
			path = strings.TrimPrefix(kv, "PATH=")
		case strings.HasPrefix(kv, "PYTHONHOME="), strings.HasPrefix(kv, "VIRTUAL_ENV="):
			// dropped: a PYTHONHOME from outside can break the virtualenv's interpreter
		default:
			out = append(out, kv)
		}
	}
	bin := filepath.Join(venv, "bin")
	if path != "" {
		bin += string(os.PathListSeparator) + path
	}
	return append(out, "PATH="+bin, "VIRTUAL_ENV="+venv)
}

func (h *host) About(_ context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	py := python(req.GetInfo())
	out, err := exec.Command(py, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("%s cannot be run: %w", py, err)
	}
	return &pulumirpc.AboutResponse{Executable: py, Version: strings.TrimSpace(string(out))}, nil
}

// Installing is the user's (pip): saying so beats a `pulumi install` that succeeds doing nothing.
func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return fmt.Errorf("this build's %s does not install dependencies: pip install -r requirements.txt in %s",
		name, req.GetInfo().GetProgramDirectory())
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	self, err := os.Executable()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	execScript := filepath.Join(filepath.Dir(self), "pulumi-language-python-exec")
	info := req.GetInfo()
	args := []string{"-u", execScript}
	flagArg := func(k, v string) {
		if v != "" {
			args = append(args, "--"+k, v)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.EngineAddress)
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root_directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.Tracing)
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)
	// Python's SDK reads config keys as `namespace:name`, as the engine sends them.
	cfg, secretKeys, err := langhost.ConfigJSON(req, func(k string) (string, error) { return k, nil })
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	py := python(info)
	return h.RunChild(ctx, func(runCtx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(runCtx, py, args...)
		cmd.Dir = info.GetProgramDirectory()
		cmd.Env = append(activated(os.Environ(), virtualenv(info)),
			"PULUMI_CONFIG="+cfg, "PULUMI_CONFIG_SECRET_KEYS="+secretKeys)
		return cmd
	}), nil
}

func (h *host) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(
		pkg *schema.Package, extraFiles map[string][]byte, loader schema.ReferenceLoader,
	) (map[string][]byte, error) {
		return pygen.GeneratePackage(name, pkg, extraFiles, loader)
	})
}
