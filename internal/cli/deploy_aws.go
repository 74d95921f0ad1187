package cli

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/sethvargo/go-githubactions"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/vars"
)

// oidcAudience is what AWS STS expects in a GitHub OIDC token
// (aws-actions/configure-aws-credentials uses the same).
const oidcAudience = "sts.amazonaws.com"

// credentialProbe bounds the check for credentials, which may try the
// instance metadata service.
const credentialProbe = 5 * time.Second

// awsSession loads AWS configurations, one per region, and remembers the
// job's OIDC token so it is requested once.
type awsSession struct {
	env Env
	red *redactor
	gh  *githubactions.Action // nil outside the Action: no OIDC

	mu    sync.Mutex
	token string
	cfgs  map[string]aws.Config
}

// config returns the configuration for region. With role set, the
// credentials come from STS AssumeRoleWithWebIdentity with the job's OIDC
// token (the workflow needs permissions: id-token: write).
func (s *awsSession) config(ctx context.Context, region, role string) (aws.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cfg, ok := s.cfgs[region]; ok {
		return cfg, nil
	}
	if role != "" && s.token == "" {
		if s.gh == nil {
			return aws.Config{}, fmt.Errorf("assume role %s: no OIDC token outside GitHub Actions", role)
		}
		tok, err := s.gh.GetIDToken(ctx, oidcAudience)
		if err != nil {
			return aws.Config{}, fmt.Errorf("get the job's OIDC token for %s (does the job have permissions: id-token: write?): %w", role, err)
		}
		s.token = tok
		s.red.add(tok, "the job's OIDC token")
	}
	cfg, err := deploy.LoadAWSConfig(ctx, region, role, s.token)
	if err != nil {
		return aws.Config{}, err
	}
	if role != "" {
		// Assumed-role credentials are new secrets GitHub does not know to
		// mask: register them before anything can print them.
		if c, err := cfg.Credentials.Retrieve(ctx); err == nil {
			s.red.add(c.AccessKeyID, "an AWS access key ID")
			s.red.add(c.SecretAccessKey, "an AWS secret access key")
			s.red.add(c.SessionToken, "an AWS session token")
		}
	}
	if s.cfgs == nil {
		s.cfgs = map[string]aws.Config{}
	}
	s.cfgs[region] = cfg
	return cfg, nil
}

// credentials reports whether cfg yields credentials, and registers them
// with the redactor: assumed-role credentials are new secrets that GitHub
// does not know to mask.
func (s *awsSession) credentials(ctx context.Context, cfg aws.Config) bool {
	ctx, cancel := context.WithTimeout(ctx, credentialProbe)
	defer cancel()
	if !deploy.HasCredentials(ctx, cfg) {
		return false
	}
	if c, err := cfg.Credentials.Retrieve(ctx); err == nil {
		s.red.add(c.AccessKeyID, "an AWS access key ID")
		s.red.add(c.SecretAccessKey, "an AWS secret access key")
		s.red.add(c.SessionToken, "an AWS session token")
	}
	return true
}

// credentialEnv are the variables that show AWS credentials are meant to
// be available. Without one of them (and without role-to-assume), a run
// that does not deploy does not probe the default chain, whose instance
// metadata lookup would stall a plain lint on a machine outside AWS.
var credentialEnv = []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"}

func (s *awsSession) credentialHint(role string) bool {
	if role != "" {
		return true
	}
	for _, k := range credentialEnv {
		if v, ok := s.env.Getenv(k); ok && v != "" {
			return true
		}
	}
	return false
}

// remoteFor returns a function giving the resolver of ${cf:...},
// ${ssm:...}, ${s3:...} and ${aws:accountId} for a region, or nil when no
// credentials are meant to be here: those variables then stay unresolved
// with a warning, as offline. The function returns nil too when loading
// credentials fails; a deploy then reports the failure itself.
func (s *awsSession) remoteFor(ctx context.Context, deploying bool, role string) func(region string) vars.Remote {
	if !deploying && !s.credentialHint(role) {
		return nil
	}
	var mu sync.Mutex
	memo := map[string]vars.Remote{}
	return func(region string) vars.Remote {
		mu.Lock()
		defer mu.Unlock()
		if r, ok := memo[region]; ok {
			return r
		}
		var r vars.Remote
		if cfg, err := s.config(ctx, region, role); err == nil && s.credentials(ctx, cfg) {
			r = newRemote(cfg)
		}
		memo[region] = r
		return r
	}
}
