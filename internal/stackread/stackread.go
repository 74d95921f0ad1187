// Package stackread reads what is deployed: the template of a
// CloudFormation stack, which the plan compares with the compiled one. It
// only reads; deploying is internal/deploy's job.
package stackread

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// templateAPI is the one call of *cloudformation.Client the reader makes.
type templateAPI interface {
	GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput, optFns ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error)
}

var _ templateAPI = (*cloudformation.Client)(nil)

// Reader reads deployed stack templates.
type Reader struct {
	api templateAPI
}

// New returns a reader that calls api (a *cloudformation.Client).
func New(api templateAPI) *Reader { return &Reader{api: api} }

// NewFromConfig returns a reader for the region and credentials of cfg.
func NewFromConfig(cfg aws.Config) *Reader { return New(cloudformation.NewFromConfig(cfg)) }

// StackNotFoundError is a stack that does not exist: nothing is deployed yet.
type StackNotFoundError struct{ Stack string }

func (e *StackNotFoundError) Error() string {
	return fmt.Sprintf("stack %s does not exist", e.Stack)
}

// IsNotFound reports whether err is an StackNotFoundError.
func IsNotFound(err error) bool {
	var nf *StackNotFoundError
	return errors.As(err, &nf)
}

// Template returns the template stack was last deployed with, as the
// text CloudFormation stores (JSON or YAML), before any transform: what
// a compiled template is compared with.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html
func (r *Reader) Template(ctx context.Context, stack string) ([]byte, error) {
	out, err := r.api.GetTemplate(ctx, &cloudformation.GetTemplateInput{StackName: aws.String(stack), TemplateStage: types.TemplateStageOriginal})
	if err != nil {
		if missing(err) {
			return nil, &StackNotFoundError{Stack: stack}
		}
		return nil, fmt.Errorf("get the template of stack %s: %w", stack, err)
	}
	body := aws.ToString(out.TemplateBody)
	if strings.TrimSpace(body) == "" {
		return nil, fmt.Errorf("get the template of stack %s: CloudFormation returned no template", stack)
	}
	return []byte(body), nil
}

// missing reports the error CloudFormation gives for an unknown stack.
func missing(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist")
}
