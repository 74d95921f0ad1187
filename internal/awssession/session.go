// Package awssession loads the AWS configurations of one run (one per
// region, with the job's OIDC token for a role to assume), the resolver of
// variables that need AWS, and the deployer. The deploy command and the
// Action share it; the runner itself (the OIDC token, masking) comes in as
// functions.
package awssession

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/stream-events/stream-events/internal/awsvars"
	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/vars"
)

// oidcAudience is what AWS STS expects in a GitHub OIDC token
// (aws-actions/configure-aws-credentials uses the same).
const oidcAudience = "sts.amazonaws.com"

// credentialProbe bounds the check for credentials, which may try the
// instance metadata service.
const credentialProbe = 5 * time.Second

// Session loads AWS configurations, one per region, and remembers the
// job's OIDC token so it is requested once.
type Session struct {
	getenv func(string) (string, bool)
	// idToken gets the job's OIDC token for an audience; nil outside the
	// Action.
	idToken func(ctx context.Context, audience string) (string, error)
	// secret registers a new secret (a token, assumed-role credentials)
	// before anything can print it.
	secret func(value, from string)

	mu    sync.Mutex
	token string
	cfgs  map[string]aws.Config
}

// New returns a session. idToken may be nil (no OIDC), secret too.
func New(getenv func(string) (string, bool), idToken func(context.Context, string) (string, error), secret func(value, from string)) *Session {
	if secret == nil {
		secret = func(string, string) {}
	}
	return &Session{getenv: getenv, idToken: idToken, secret: secret}
}

// Config returns the configuration for region. With role set, the
// credentials come from STS AssumeRoleWithWebIdentity with the job's OIDC
// token (the workflow needs permissions: id-token: write).
func (s *Session) Config(ctx context.Context, region, role string) (aws.Config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cfg, ok := s.cfgs[region]; ok {
		return cfg, nil
	}
	if role != "" && s.token == "" {
		if s.idToken == nil {
			return aws.Config{}, fmt.Errorf("assume role %s: no OIDC token outside GitHub Actions", role)
		}
		tok, err := s.idToken(ctx, oidcAudience)
		if err != nil {
			return aws.Config{}, fmt.Errorf("get the job's OIDC token for %s (does the job have permissions: id-token: write?): %w", role, err)
		}
		s.token = tok
		s.secret(tok, "the job's OIDC token")
	}
	cfg, err := deploy.LoadAWSConfig(ctx, region, role, s.token)
	if err != nil {
		return aws.Config{}, err
	}
	if role != "" {
		// Assumed-role credentials are new secrets GitHub does not know to
		// mask: register them before anything can print them.
		if c, err := cfg.Credentials.Retrieve(ctx); err == nil {
			s.addCredentials(c)
		}
	}
	if s.cfgs == nil {
		s.cfgs = map[string]aws.Config{}
	}
	s.cfgs[region] = cfg
	return cfg, nil
}

func (s *Session) addCredentials(c aws.Credentials) {
	s.secret(c.AccessKeyID, "an AWS access key ID")
	s.secret(c.SecretAccessKey, "an AWS secret access key")
	s.secret(c.SessionToken, "an AWS session token")
}

// credentials reports whether cfg yields credentials, and registers them
// as secrets: assumed-role credentials are new secrets that GitHub does not
// know to mask.
func (s *Session) credentials(ctx context.Context, cfg aws.Config) bool {
	ctx, cancel := context.WithTimeout(ctx, credentialProbe)
	defer cancel()
	if !deploy.HasCredentials(ctx, cfg) {
		return false
	}
	if c, err := cfg.Credentials.Retrieve(ctx); err == nil {
		s.addCredentials(c)
	}
	return true
}

// credentialEnv are the variables that show AWS credentials are meant to
// be available. Without one of them (and without role-to-assume), a run
// that does not deploy does not probe the default chain, whose instance
// metadata lookup would stall a plain lint on a machine outside AWS.
var credentialEnv = []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"}

func (s *Session) credentialHint(role string) bool {
	if role != "" {
		return true
	}
	for _, k := range credentialEnv {
		if v, ok := s.getenv(k); ok && v != "" {
			return true
		}
	}
	return false
}

// RemoteFor returns a function giving the resolver of ${cf:...},
// ${ssm:...}, ${s3:...} and ${aws:accountId} for a region, or nil when no
// credentials are meant to be here: those variables then stay unresolved
// with a warning, as offline. The function returns nil too when loading
// credentials fails; a deploy then reports the failure itself.
func (s *Session) RemoteFor(ctx context.Context, deploying bool, role string) func(region string) vars.Remote {
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
		if cfg, err := s.Config(ctx, region, role); err == nil && s.credentials(ctx, cfg) {
			src := awsvars.New(cfg)
			src.Secret = s.secret
			r = src
		}
		memo[region] = r
		return r
	}
}

// EnvRegion is AWS_REGION or AWS_DEFAULT_REGION, which a deploy uses when
// neither the flag nor the config names a region.
func (s *Session) EnvRegion() string {
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v, ok := s.getenv(k); ok && v != "" {
			return v
		}
	}
	return ""
}

// pollIntervalEnv overrides the deployer's poll delays: tests set
// milliseconds, and impatient users may set a few seconds.
const pollIntervalEnv = "STREAM_EVENTS_POLL_INTERVAL"

// Deployer returns a deployer for cfg that reports its progress to sink.
func (s *Session) Deployer(cfg aws.Config, sink func(deploy.Event)) *deploy.Deployer {
	opts := []deploy.Option{deploy.WithEventSink(sink)}
	if v, ok := s.getenv(pollIntervalEnv); ok {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			opts = append(opts, deploy.WithPollDelays(d, d, 1))
		}
	}
	return deploy.NewFromConfig(cfg, opts...)
}
