package pipeline

import (
	"context"
	"path/filepath"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/exit"
	"github.com/stream-events/stream-events/internal/loader"
	"github.com/stream-events/stream-events/internal/vars"
)

// Files is the file access loading needs, relative to the working
// directory (internal/files provides it).
type Files interface {
	Stat(path string) bool
	// ReadFile reads a file for ${file(...)}, confined to Root.
	ReadFile(path string) ([]byte, error)
	// Root is the repository root ${file(...)} may not leave.
	Root() string
}

// Request names a config and how to resolve its variables.
type Request struct {
	Config        string // as given; "" finds serverless.yml, .yaml or .json
	Stage, Region string // "" for the config's own, then dev and us-east-1
	Opts, Params  KeyValues
	Getenv        func(string) (string, bool)
	Files         Files
}

// Load finds and loads the config with its variables resolved, offline
// first. It reads it again when a deploy must use envRegion (AWS_REGION) for
// a config that names no region, or when the config has variables that need
// AWS and remote gives a resolver for its region: remote variables are
// resolved in the service's own region, which only the first read tells.
// envRegion "" and remote nil read once.
func Load(ctx context.Context, r Request, envRegion string, remote func(region string) vars.Remote) (*loader.Config, error) {
	cfg, err := load(ctx, r, nil)
	if err != nil {
		return nil, err
	}
	again := false
	if envRegion != "" && r.Region == "" && !hasProviderRegion(cfg) && cfg.Region != envRegion {
		r.Region, again = envRegion, true
	}
	var rem vars.Remote
	if remote != nil && cfg.Findings.HasRule(vars.RuleRemote) {
		region := r.Region
		if region == "" {
			region = cfg.Region
		}
		if rem = remote(region); rem != nil {
			again = true
		}
	}
	if !again {
		return cfg, nil
	}
	return load(ctx, r, rem)
}

func load(ctx context.Context, r Request, remote vars.Remote) (*loader.Config, error) {
	// A stage or region from a flag or an input ends up in names AWS
	// rejects (a newline in FunctionName, a slash in a role name).
	if err := compile.CheckOptions(r.Stage, r.Region); err != nil {
		return nil, exit.Usagef("%s", err)
	}
	// Paths stay relative to the working directory, as the user wrote them:
	// they name the files in every finding.
	path, err := loader.Find("", r.Config, r.Files.Stat)
	if err != nil {
		return nil, exit.Usagef("%s", err)
	}
	opts := map[string]string{}
	for k, v := range r.Opts.m {
		opts[k] = v
	}
	cfg, err := loader.Load(path, vars.Options{
		Stage:      r.Stage,
		Region:     r.Region,
		Opts:       opts,
		Params:     r.Params.m,
		Getenv:     r.Getenv,
		ReadFile:   r.Files.ReadFile,
		ServiceDir: filepath.Dir(path),
		Root:       r.Files.Root(),
		Remote:     remote,
		Ctx:        ctx,
	})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// hasProviderRegion reports whether the config names its region.
func hasProviderRegion(cfg *loader.Config) bool {
	return cfg.Root != nil && !cfg.Root.Get("provider").Get("region").IsNull()
}
