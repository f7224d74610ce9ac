package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"syscall"

	"google.golang.org/grpc"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin starts a policy pack (kind "analyzer") the way the engine expects since v3.221: the
// pack's own @pulumi/pulumi `cmd/run-policy-pack`, behind sdk/v3's proxy, which first collects the
// stack's configuration for it.
func (h *host) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() != "analyzer" {
		return fmt.Errorf("this pulumi-language-nodejs runs policy packs only, not %q plugins", req.GetKind())
	}
	// The pack ends when the engine's request does, or when this host is told to stop.
	ctx, cancel := context.WithCancel(h.Done)
	defer cancel()
	context.AfterFunc(server.Context(), cancel)
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	info := req.GetInfo()
	runPath, err := resolve("@pulumi/pulumi/cmd/run-policy-pack", info.GetProgramDirectory())
	if err != nil {
		return err
	}
	opts := parseOptions(info)
	env := append(append([]string{}, req.GetEnv()...), opts.env()...)
	proxy, stdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	stack, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack's configuration: %w", err)
	}
	if stack != nil {
		addEnv := func(k, v string) {
			if v != "" {
				env = append(env, k+"="+v)
			}
		}
		addEnv("PULUMI_NODEJS_ORGANIZATION", stack.GetOrganization())
		addEnv("PULUMI_NODEJS_PROJECT", stack.GetProject())
		addEnv("PULUMI_NODEJS_STACK", stack.GetStack())
		addEnv("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stack.GetDryRun()))
		if stack.GetConfig() != nil {
			cfg, err := json.Marshal(stack.GetConfig())
			if err != nil {
				return err
			}
			addEnv("PULUMI_CONFIG", string(cfg))
		}
	}
	args := append(append([]string{runPath}, opts.nodeargs...), req.GetArgs()...)
	args = append(args, info.GetProgramDirectory())
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		proxy.Abort(err)
		return fmt.Errorf("could not start node: %w", err)
	}
	// Attach proxies the engine's calls to the pack and returns when the pack's process ends.
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
				return nil // the engine stops the pack when it is done with it
			}
			return fmt.Errorf("policy pack exited with non-zero exit code: %d", exit.ExitCode())
		}
		return err
	}
	return closer.Close()
}
