package stackread

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

// fakeAPI answers GetTemplate with body or err.
type fakeAPI struct {
	body *string
	err  error
	in   *cloudformation.GetTemplateInput
}

func (f *fakeAPI) GetTemplate(_ context.Context, in *cloudformation.GetTemplateInput, _ ...func(*cloudformation.Options)) (*cloudformation.GetTemplateOutput, error) {
	f.in = in
	if f.err != nil {
		return nil, f.err
	}
	return &cloudformation.GetTemplateOutput{TemplateBody: f.body}, nil
}

func TestTemplate(t *testing.T) {
	tests := map[string]struct {
		api          *fakeAPI
		want         string
		wantNotFound bool
		wantErr      bool
	}{
		"the deployed template": {api: &fakeAPI{body: aws.String(`{"Resources": {}}`)}, want: `{"Resources": {}}`},
		"a missing stack is not found": {api: &fakeAPI{err: &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id s does not exist"}},
			wantNotFound: true, wantErr: true},
		"another validation error is an error": {api: &fakeAPI{err: &smithy.GenericAPIError{Code: "ValidationError", Message: "1 validation error"}}, wantErr: true},
		"access denied is an error":            {api: &fakeAPI{err: &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized"}}, wantErr: true},
		"an empty body is an error":            {api: &fakeAPI{body: aws.String(" ")}, wantErr: true},
		"a network error is an error":          {api: &fakeAPI{err: errors.New("dial tcp: refused")}, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := New(tc.api).Template(context.Background(), "s")
			if (err != nil) != tc.wantErr || IsNotFound(err) != tc.wantNotFound || string(got) != tc.want {
				t.Errorf("got %q, %v", got, err)
			}
			if aws.ToString(tc.api.in.StackName) != "s" || tc.api.in.TemplateStage != types.TemplateStageOriginal {
				t.Errorf("input %+v", tc.api.in)
			}
		})
	}
}
