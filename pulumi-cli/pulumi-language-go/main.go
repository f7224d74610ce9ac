// pulumi-language-go, as this repository builds it: the language host the pinned `pulumi` starts to
// run a Go program and to generate a Go SDK (`pulumi package gen-sdk --language go`).
//
// Pulumi's own host (module github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3) is not served by
// the Go module proxy these machines reach (pulumi-cli/README.md). This one does what Pulumi's does
// for a program: `go build` it, then run the binary with the engine's request in the environment
// variables sdk/v3's `pulumi.Run` reads; and it generates SDKs with pkg/v3's own Go code generator.
// It knows no runtime options (no prebuilt `binary`) and installs nothing (the user's `go mod` does).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	grpc "google.golang.org/grpc"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"pulumi-box-session-termination/pulumi-cli/internal/langhost"
)

const name = "pulumi-language-go"

type host struct{ langhost.Base }

func main() {
	langhost.Serve(name, func(base langhost.Base) pulumirpc.LanguageRuntimeServer { return &host{base} })
}

func (h *host) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.Command("go", "version").Output()
	if err != nil {
		return nil, fmt.Errorf("go is not on PATH: %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: "go", Version: strings.TrimSpace(string(out))}, nil
}

func (h *host) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, _ grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return fmt.Errorf("this build's %s does not install dependencies: run go mod download in %s",
		name, req.GetInfo().GetProgramDirectory())
}

func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	tmp, err := os.MkdirTemp("", "pulumi-go-program-")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	defer os.RemoveAll(tmp)
	binary := filepath.Join(tmp, "program")
	// The build's own errors are the user's to read: they go where the program's output goes. It
	// ends with the engine's request or with this host, whichever ends first.
	buildCtx, cancelBuild := context.WithCancel(h.Done)
	defer cancelBuild()
	context.AfterFunc(ctx, cancelBuild)
	build := exec.CommandContext(buildCtx, "go", "build", "-o", binary, ".")
	build.Dir = dir
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build in %s failed: %v", dir, err)}, nil
	}
	// Go's SDK reads config keys as `namespace:name`, as the engine sends them.
	cfg, secretKeys, err := langhost.ConfigJSON(req, func(k string) (string, error) { return k, nil })
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env := append(os.Environ(),
		"PULUMI_MONITOR="+req.GetMonitorAddress(),
		"PULUMI_ENGINE="+h.EngineAddress,
		"PULUMI_PROJECT="+req.GetProject(),
		"PULUMI_STACK="+req.GetStack(),
		"PULUMI_ORGANIZATION="+req.GetOrganization(),
		"PULUMI_ROOT_DIRECTORY="+info.GetRootDirectory(),
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.GetDryRun()),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.GetParallel())),
		"PULUMI_CONFIG="+cfg,
		"PULUMI_CONFIG_SECRET_KEYS="+secretKeys,
	)
	if h.Tracing != "" {
		env = append(env, "PULUMI_TRACING="+h.Tracing)
	}
	return h.RunChild(ctx, func(runCtx context.Context) *exec.Cmd {
		cmd := exec.CommandContext(runCtx, binary, req.GetArgs()...)
		cmd.Dir = dir
		cmd.Env = env
		return cmd
	}), nil
}

func (h *host) GeneratePackage(
	_ context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	return langhost.GeneratePackage(req, func(
		pkg *schema.Package, extraFiles map[string][]byte, _ schema.ReferenceLoader,
	) (map[string][]byte, error) {
		// As Pulumi's Go host: overlays are refused rather than silently left out.
		if len(extraFiles) > 0 {
			return nil, errors.New("overlays are not supported for Go")
		}
		return gogen.GeneratePackage(name, pkg, req.GetLocalDependencies())
	})
}
