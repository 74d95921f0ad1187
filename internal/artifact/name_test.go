package artifact

import (
	"strings"
	"testing"
)

func TestValidateName(t *testing.T) {
	tests := []struct {
		name    string
		wantErr string // substring; empty means valid
	}{
		{name: "cfn-orders-deploy-1"},
		{name: "template v2 (final).zip"},
		{name: "ünïcode-ok"},
		{name: "", wantErr: "empty"},
		{name: `a"b`, wantErr: "double quote"},
		{name: "a:b", wantErr: "colon"},
		{name: "a<b", wantErr: "less than"},
		{name: "a>b", wantErr: "greater than"},
		{name: "a|b", wantErr: "vertical bar"},
		{name: "a*b", wantErr: "asterisk"},
		{name: "a?b", wantErr: "question mark"},
		{name: "a\rb", wantErr: "carriage return"},
		{name: "a\nb", wantErr: "line feed"},
		{name: `a\b`, wantErr: "backslash"},
		{name: "a/b", wantErr: "forward slash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ValidateName(tt.name), tt.wantErr)
		})
	}
}

func TestValidatePath(t *testing.T) {
	tests := []struct {
		path    string
		wantErr string
	}{
		{path: "summary.md"},
		{path: "serverless/cloudformation-template-update-stack.json"},
		{path: ".hidden/file"},
		{path: "", wantErr: "empty"},
		{path: "/etc/passwd", wantErr: "absolute"},
		{path: "../escape", wantErr: "segment"},
		{path: "a/../../b", wantErr: "segment"},
		{path: "a/./b", wantErr: "segment"},
		{path: "a//b", wantErr: "segment"},
		{path: "dir/", wantErr: "segment"},
		{path: `a\b`, wantErr: "backslash"},
		{path: "C:/x", wantErr: "colon"},
		{path: "a*b", wantErr: "asterisk"},
		{path: "a\x00b", wantErr: "control"},
		{path: "a\nb", wantErr: "line feed"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			checkErr(t, ValidatePath(tt.path), tt.wantErr)
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("error %q does not contain %q", err, want)
	}
}
