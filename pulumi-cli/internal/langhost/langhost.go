// Package langhost holds what this repository's language hosts share: serving the language-host gRPC
// contract (sdk/v3's proto) the way the engine expects, ending with the engine, the run request as
// environment, running a program as a child that ends with the request, and code generation from a
// schema. Pulumi's own hosts for Node.js, Python and Go cannot be had here (pulumi-cli/README.md);
// each of ours is a thin main package over this one.
package langhost

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// ExitedAfterUserMessage is the exit status with which Pulumi's SDKs say they already showed the user
// an actionable message (the engine then prints nothing more).
const ExitedAfterUserMessage = 32

// How often a host checks that the engine is still there (Pulumi's own hosts: every 5 minutes).
const engineCheckInterval = 2 * time.Second

// Base answers the calls every host answers alike; a host embeds it and adds Run and what else it does.
type Base struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	// Name is the host's executable name, for messages.
	Name string
	// EngineAddress is where the engine listens, from the command line or the handshake.
	EngineAddress string
	// Tracing is the tracing endpoint the engine passed, handed on to programs.
	Tracing string
	// Done ends when the host must stop: everything it starts ends with it.
	Done context.Context
}

// Serve parses the engine's command line, serves `newHost`'s answers, prints the port the engine
// reads first, and returns when the engine is gone or the host is told to stop.
func Serve(name string, newHost func(base Base) pulumirpc.LanguageRuntimeServer) {
	// -logtostderr and -v, which the engine may pass, are glog's flags: the sdk registers them.
	tracing := flag.String("tracing", "", "tracing endpoint, handed to the program")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	engineAddress := ""
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}
	// A killed `pulumi` must not leave a host, or the program it runs, behind.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, engineCheckInterval, stop); err != nil {
			fmt.Fprintf(os.Stderr, "%s: cannot watch the engine: %v\n", name, err)
			os.Exit(1)
		}
	}
	h := newHost(Base{Name: name, EngineAddress: engineAddress, Tracing: *tracing, Done: ctx})
	shutdown := make(chan bool, 1)
	go func() {
		<-ctx.Done()
		shutdown <- true
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: shutdown,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, h)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

func (b *Base) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if req.GetEngineAddress() != "" {
		b.EngineAddress = req.GetEngineAddress()
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (b *Base) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// No required packages: the engine then loads each provider plugin when a resource first asks for it.
func (b *Base) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (b *Base) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (b *Base) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (b *Base) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// ConfigJSON is the run request's config and its secret keys as the SDKs read them from
// PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS; `key` rewrites a `namespace:name` key if an SDK
// wants another form.
func ConfigJSON(req *pulumirpc.RunRequest, key func(string) (string, error)) (string, string, error) {
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		name, err := key(k)
		if err != nil {
			return "", "", err
		}
		cfg[name] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)
	return string(cfgJSON), string(secretJSON), nil
}

// RunChild runs a program's process to its end, or until the engine's request or the host ends
// (then it is interrupted, and killed 5 s later), and says how it ended as the engine expects.
func (b *Base) RunChild(ctx context.Context, cmd func(context.Context) *exec.Cmd) *pulumirpc.RunResponse {
	runCtx, cancelRun := context.WithCancel(b.Done)
	defer cancelRun()
	context.AfterFunc(ctx, cancelRun)
	c := cmd(runCtx)
	c.Stdout, c.Stderr = os.Stdout, os.Stderr
	c.Cancel = func() error { return c.Process.Signal(os.Interrupt) }
	c.WaitDelay = 5 * time.Second
	if err := c.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == ExitedAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}
			}
			if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
				return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", status.Signal())}
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run %s: %v", c.Path, err)}
	}
	return &pulumirpc.RunResponse{}
}

// Generator turns a bound schema into an SDK's files, as pkg/v3's codegen for one language does.
type Generator func(pkg *schema.Package, extraFiles map[string][]byte, loader schema.ReferenceLoader) (map[string][]byte, error)

// GeneratePackage answers `pulumi package gen-sdk`: binds the schema it is sent (references resolved
// through the engine's loader) and writes what `generate` makes of it into the directory asked for.
func GeneratePackage(req *pulumirpc.GeneratePackageRequest, generate Generator) (*pulumirpc.GeneratePackageResponse, error) {
	// NewLoaderClient asserts on an empty target, and a panic here would end the host.
	if req.GetLoaderTarget() == "" {
		return nil, errors.New("GeneratePackage needs the engine's schema loader address; none was sent")
	}
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("the schema is not valid JSON: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	answer := &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}
	if diags.HasErrors() {
		return answer, nil
	}
	files, err := generate(pkg, req.GetExtraFiles(), loader)
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		// A module name in a token may hold "../": nothing is written outside the directory asked for.
		if !filepath.IsLocal(name) {
			return nil, fmt.Errorf("the generator named a file outside %s: %q", req.GetDirectory(), name)
		}
		out := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return nil, err
		}
	}
	return answer, nil
}
