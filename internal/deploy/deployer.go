package deploy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

const (
	// MaxInlineTemplateSize is CloudFormation's limit for TemplateBody.
	MaxInlineTemplateSize = 51200
	// MaxS3TemplateSize is CloudFormation's limit for a template in S3.
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
	MaxS3TemplateSize = 1 << 20
	// DefaultTimeout applies when Input.Timeout is zero.
	DefaultTimeout = 60 * time.Minute
	// cleanupTimeout bounds the calls that tidy up after a cancelled run,
	// which use a fresh context because the run's own is already done.
	cleanupTimeout = 15 * time.Second
)

// Deployer deploys templates through change sets. It holds clients and
// tuning only; per-deployment state lives in a run.
type Deployer struct {
	cfn      cfnAPI
	s3       s3API
	s3Region string
	now      func() time.Time
	minDelay time.Duration
	maxDelay time.Duration
	factor   float64
	newName  func() string
	sink     func(Event)
}

// Option configures a Deployer.
type Option func(*Deployer)

// WithS3 sets the client and bucket region used for templates over
// MaxInlineTemplateSize.
func WithS3(c s3API, region string) Option {
	return func(d *Deployer) { d.s3, d.s3Region = c, region }
}

// WithClock replaces time.Now, for deterministic names and durations.
func WithClock(now func() time.Time) Option { return func(d *Deployer) { d.now = now } }

// WithPollDelays sets the poll backoff: first delay, cap and growth factor.
// The defaults are 1 s, 10 s and 1.5; tests use milliseconds.
func WithPollDelays(minDelay, maxDelay time.Duration, factor float64) Option {
	return func(d *Deployer) { d.minDelay, d.maxDelay, d.factor = minDelay, maxDelay, factor }
}

// WithChangeSetNamer replaces the change-set name generator.
func WithChangeSetNamer(fn func() string) Option { return func(d *Deployer) { d.newName = fn } }

// WithEventSink receives live progress lines, in order, from Deploy's goroutine.
func WithEventSink(fn func(Event)) Option { return func(d *Deployer) { d.sink = fn } }

// New returns a Deployer that calls CloudFormation through c (usually a
// *cloudformation.Client).
func New(c cfnAPI, opts ...Option) *Deployer {
	d := &Deployer{
		cfn: c, now: time.Now,
		minDelay: time.Second, maxDelay: 10 * time.Second, factor: 1.5,
		sink: func(Event) {},
	}
	for _, o := range opts {
		o(d)
	}
	if d.newName == nil {
		d.newName = NewChangeSetNamer(d.now)
	}
	return d
}

// NewFromConfig builds the CloudFormation and S3 clients from cfg.
func NewFromConfig(cfg aws.Config, opts ...Option) *Deployer {
	base := []Option{WithS3(s3.NewFromConfig(cfg), cfg.Region)}
	return New(cloudformation.NewFromConfig(cfg), append(base, opts...)...)
}

// errTimedOut is the cause attached to the run's deadline, to tell
// Input.Timeout apart from a deadline or cancellation of the caller's ctx.
var errTimedOut = errors.New("deploy timeout")

// Deploy creates a change set for in.TemplateBody and, in Execute mode,
// executes it. It returns a Result even with an error, filled as far as it
// got; the Result is nil only when in is invalid (no AWS call was made).
// Cancelling ctx (SIGINT/SIGTERM in the CLI) stops waiting, deletes a change
// set that was not executed, and returns an error wrapping context.Canceled;
// an executing stack operation keeps running in AWS.
func (d *Deployer) Deploy(ctx context.Context, in Input) (*Result, error) {
	caps, err := d.validate(in)
	if err != nil {
		return nil, err
	}
	timeout := in.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, errTimedOut)
	defer cancel()
	r := &run{d: d, in: in, caps: caps, timeout: timeout, start: d.now(),
		res: &Result{StackName: in.StackName}}
	err = r.deploy(ctx)
	if err != nil && ctx.Err() != nil {
		err = r.interrupted(ctx, err)
	}
	r.cleanup(ctx)
	return r.res, err
}

// validate checks everything that can be checked without AWS, so a bad
// input never leaves a half-made change set behind.
func (d *Deployer) validate(in Input) ([]string, error) {
	if !validName(in.StackName) {
		return nil, fmt.Errorf("invalid stack name %q: use letters, digits and hyphens, starting with a letter, at most 128 characters", in.StackName)
	}
	if in.Mode != Preview && in.Mode != Execute {
		return nil, fmt.Errorf("invalid mode %d: want preview or execute", in.Mode)
	}
	if len(in.TemplateBody) == 0 {
		return nil, errors.New("empty template")
	}
	size := len(in.TemplateBody)
	if size > MaxInlineTemplateSize && in.S3Bucket == "" {
		return nil, &TemplateTooLargeError{Size: size, Limit: MaxInlineTemplateSize, NeedsBucket: true}
	}
	if size > MaxS3TemplateSize {
		return nil, &TemplateTooLargeError{Size: size, Limit: MaxS3TemplateSize}
	}
	if size > MaxInlineTemplateSize && d.s3 == nil {
		return nil, errors.New("template needs S3 but the deployer has no S3 client (use WithS3)")
	}
	return DetectCapabilities(in.TemplateBody)
}
