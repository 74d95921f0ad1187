package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// staticToken hands the web identity provider a token the caller already
// has (the job's OIDC token from go-githubactions GetIDToken), instead of
// the token file the SDK expects.
type staticToken []byte

func (t staticToken) GetIdentityToken() ([]byte, error) { return t, nil }

// LoadAWSConfig loads the SDK configuration from the default chain
// (environment, shared files, SSO, container and instance roles). A
// non-empty region wins over AWS_REGION and the profile's region. When
// roleToAssume is set, credentials come from STS AssumeRoleWithWebIdentity
// with oidcToken, using the default chain only to reach STS.
//
// Endpoints follow the SDK's own AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE> variables, which LoadDefaultConfig reads.
func LoadAWSConfig(ctx context.Context, region, roleToAssume, oidcToken string) (aws.Config, error) {
	// The SDK's own log lines (an IMDSv1 fallback warning outside EC2) would
	// land raw among our positioned output; errors still come back as errors.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: pass --region, set provider.region, or set AWS_REGION")
	}
	if roleToAssume == "" {
		return cfg, nil
	}
	if oidcToken == "" {
		return aws.Config{}, fmt.Errorf("assume role %s: no OIDC token (the workflow needs permissions: id-token: write)", roleToAssume)
	}
	p := stscreds.NewWebIdentityRoleProvider(sts.NewFromConfig(cfg), roleToAssume, staticToken(oidcToken),
		func(o *stscreds.WebIdentityRoleOptions) {
			o.RoleSessionName = fmt.Sprintf("stream-events-%d", time.Now().Unix())
		})
	cfg.Credentials = aws.NewCredentialsCache(p)
	return cfg, nil
}

// HasCredentials reports whether cfg can produce credentials. Callers use
// it to decide whether remote variables can be resolved; bound ctx,
// because the chain may probe the instance metadata service.
func HasCredentials(ctx context.Context, cfg aws.Config) bool {
	if cfg.Credentials == nil {
		return false
	}
	c, err := cfg.Credentials.Retrieve(ctx)
	return err == nil && c.HasKeys()
}
