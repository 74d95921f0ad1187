// Package awsvars resolves the Serverless variable sources that need AWS:
// ${cf:stack.output}, ${cf(region):stack.output}, ${ssm:name},
// ${ssm(region, raw, noDecrypt):name} and ${aws:accountId}. It follows
// Serverless v3's resolvers (lib/configuration/variables/sources/
// instance-dependent/get-{cf,ssm,aws}.js at v3.40.0) and knows nothing about
// the config tree: the caller parses ${...} and hands over kind, param and
// address.
package awsvars

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// cfnAPI, ssmAPI and stsAPI are the single SDK calls each source needs.
type cfnAPI interface {
	DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, optFns ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
}

type ssmAPI interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, optFns ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
}

type stsAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// ErrNotFound is what a missing stack, output or parameter unwraps to.
// Serverless resolves those to null, which then takes the variable's
// fallback (${ssm:/x, 'default'}) or becomes an error; callers do the same.
var ErrNotFound = errors.New("not found")

// NotFoundError names what was missing.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string        { return e.What + " not found" }
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// NotFound tells the variable resolver, which does not import this
// package, that the value is missing (so a fallback applies).
func (e *NotFoundError) NotFound() bool { return true }

// Source resolves and memoizes remote variables. It is safe for concurrent
// use; concurrent requests for the same variable share one AWS call.
type Source struct {
	cfg aws.Config

	mu      sync.Mutex
	memo    map[string]*entry
	cfnByRg map[string]cfnAPI
	ssmByRg map[string]ssmAPI
	sts     stsAPI

	// Secret, when set, is told every decrypted SecureString value (and
	// each string inside a JSON one) before it is returned, so that the
	// Action masks and redacts it and refuses a template that carries it:
	// a pull request's config must not copy a parameter the job's role can
	// decrypt into the template, the summary or the artifact.
	Secret func(value, from string)

	// Client constructors, replaceable in tests.
	newCFN func(region string) cfnAPI
	newSSM func(region string) ssmAPI
	newSTS func() stsAPI
}

// entry is one memoized resolution; done closes when v and err are set.
type entry struct {
	done chan struct{}
	v    any
	err  error
}

// New returns a Source whose clients come from cfg. A region given in a
// variable (${cf(eu-west-1):...}) overrides cfg.Region for that call.
func New(cfg aws.Config) *Source {
	s := &Source{cfg: cfg, memo: map[string]*entry{},
		cfnByRg: map[string]cfnAPI{}, ssmByRg: map[string]ssmAPI{}}
	s.newCFN = func(region string) cfnAPI {
		return cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { setRegion(&o.Region, region) })
	}
	s.newSSM = func(region string) ssmAPI {
		return ssm.NewFromConfig(cfg, func(o *ssm.Options) { setRegion(&o.Region, region) })
	}
	s.newSTS = func() stsAPI { return sts.NewFromConfig(cfg) }
	return s
}

func setRegion(dst *string, region string) {
	if region != "" {
		*dst = region
	}
}

// Resolve returns the value of ${kind(param):address}: a string, a []any
// of strings (SSM StringList) or decoded JSON (SSM SecureString holding a
// JSON object). param is the text between the parentheses, "" if none.
// Results, including "not found", are memoized per (kind, param, address);
// other errors are not, so a later call may retry.
func (s *Source) Resolve(ctx context.Context, kind, param, address string) (any, error) {
	if address == "" {
		return nil, fmt.Errorf("missing address in variable source %q", kind)
	}
	var fn func(context.Context) (any, error)
	switch kind {
	case "cf":
		fn = func(ctx context.Context) (any, error) { return s.resolveCF(ctx, param, address) }
	case "ssm":
		fn = func(ctx context.Context) (any, error) { return s.resolveSSM(ctx, param, address) }
	case "aws":
		fn = func(ctx context.Context) (any, error) { return s.resolveAWS(ctx, address) }
	default:
		return nil, fmt.Errorf("variable source %q does not need AWS", kind)
	}
	return s.once(ctx, kind+"\x00"+param+"\x00"+address, fn)
}

// once runs fn for key at most once at a time and keeps its result unless
// it failed for a reason other than ErrNotFound.
func (s *Source) once(ctx context.Context, key string, fn func(context.Context) (any, error)) (any, error) {
	s.mu.Lock()
	if e, ok := s.memo[key]; ok {
		s.mu.Unlock()
		select {
		case <-e.done:
			return e.v, e.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	e := &entry{done: make(chan struct{})}
	s.memo[key] = e
	s.mu.Unlock()

	e.v, e.err = fn(ctx)
	if e.err != nil && !errors.Is(e.err, ErrNotFound) {
		s.mu.Lock()
		delete(s.memo, key)
		s.mu.Unlock()
	}
	close(e.done)
	return e.v, e.err
}

func (s *Source) cfn(region string) cfnAPI {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cfnByRg[region]; ok {
		return c
	}
	c := s.newCFN(region)
	s.cfnByRg[region] = c
	return c
}

func (s *Source) ssmClient(region string) ssmAPI {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.ssmByRg[region]; ok {
		return c
	}
	c := s.newSSM(region)
	s.ssmByRg[region] = c
	return c
}

func (s *Source) stsClient() stsAPI {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sts == nil {
		s.sts = s.newSTS()
	}
	return s.sts
}
