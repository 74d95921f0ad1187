package deploy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDetectCapabilities(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body string
		want []string
	}{
		"no IAM resources need nothing": {
			`{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{"QueueName":"q"}}}}`, nil},
		"an unnamed role needs CAPABILITY_IAM": {
			`{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{}}}}`, []string{"CAPABILITY_IAM"}},
		"an inline policy's PolicyName is not a custom name": {
			`{"Resources":{"P":{"Type":"AWS::IAM::Policy","Properties":{"PolicyName":"p"}}}}`, []string{"CAPABILITY_IAM"}},
		"a named role needs CAPABILITY_NAMED_IAM": {
			`{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"r"}}}}`, []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		"a name built with Fn::Sub still counts": {
			`{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"RoleName":{"Fn::Sub":"${AWS::StackName}-r"}}}}}`, []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		"a named managed policy needs CAPABILITY_NAMED_IAM": {
			`{"Resources":{"M":{"Type":"AWS::IAM::ManagedPolicy","Properties":{"ManagedPolicyName":"m"}}}}`, []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		"named users, groups and instance profiles count": {
			`{"Resources":{"U":{"Type":"AWS::IAM::User","Properties":{"UserName":"u"}},"G":{"Type":"AWS::IAM::Group","Properties":{"GroupName":"g"}},"I":{"Type":"AWS::IAM::InstanceProfile","Properties":{"InstanceProfileName":"i"}}}}`,
			[]string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"}},
		"access keys and group additions are IAM resources": {
			`{"Resources":{"K":{"Type":"AWS::IAM::AccessKey"},"A":{"Type":"AWS::IAM::UserToGroupAddition"}}}`, []string{"CAPABILITY_IAM"}},
		"a null name is no name": {
			`{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"RoleName":null}}}}`, []string{"CAPABILITY_IAM"}},
		"a transform needs CAPABILITY_AUTO_EXPAND": {
			`{"Transform":["AWS::Serverless-2016-10-31"],"Resources":{}}`, []string{"CAPABILITY_AUTO_EXPAND"}},
		"all three": {
			`{"Transform":"AWS::Serverless-2016-10-31","Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"RoleName":"r"}}}}`,
			[]string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := DetectCapabilities([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestDetectCapabilities_RejectsNonJSON(t *testing.T) {
	t.Parallel()
	if _, err := DetectCapabilities([]byte("Resources: {}")); err == nil {
		t.Error("want an error for a YAML template")
	}
}
