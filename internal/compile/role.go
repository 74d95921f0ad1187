package compile

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/node"
)

// RoleRule reports an execution role the standalone template cannot attach
// its policy to.
const RoleRule = "standalone-role"

// perFunctionPlugin creates a role per function that has iamRoleStatements.
const perFunctionPlugin = "serverless-iam-roles-per-function"

// ExecutionRoleName returns the name of the IAM role function f runs with,
// which is where standalone mode attaches its stream policy. override is
// --role-name. The error finding names the fix when the name cannot be known
// from the config alone.
func ExecutionRoleName(svc *Service, f *Function, override string) (string, *diag.Finding) {
	r, bad := ExecutionRole(svc, f, override)
	if bad == nil && r.LogicalID != "" {
		return "", roleFail(r.Node, "the execution role %q is defined in the Serverless stack without a literal RoleName", r.LogicalID)
	}
	return r.Name, bad
}

// Role is a function's execution role: its Name, or, for an AWS::IAM::Role
// the Serverless stack defines without a literal RoleName, its LogicalID
// there and the reference to it in the config (Node). Only the stack knows
// that role's name.
type Role struct {
	Name      string
	LogicalID string
	Node      *node.Node
}

// ExecutionRole is ExecutionRoleName that also accepts a role the
// Serverless stack names: standalone mode takes its name as a parameter,
// which deploy reads from the stack (issue 9).
func ExecutionRole(svc *Service, f *Function, override string) (Role, *diag.Finding) {
	if override != "" {
		return Role{Name: override}, nil
	}
	if u := firstUnresolved(f.Role); u != nil {
		return Role{}, roleFail(u, "the execution role needs the value of %s, which could not be resolved", u.Unresolved)
	}
	if name, ok, bad := perFunctionRoleName(svc, f); bad != nil || ok {
		return Role{Name: name}, bad
	}
	if f.Role == nil {
		if n := svc.Root.Path("provider", "iam", "role", "name"); n.IsString() && n.Str != "" {
			return Role{Name: n.Str}, nil
		}
		return Role{Name: fmt.Sprintf("%s-%s-%s-lambdaRole", svc.Name, svc.Stage, svc.Region)}, nil
	}
	return roleOf(svc, f.Role)
}

// maxRoleName is IAM's limit on role names.
const maxRoleName = 64

// perFunctionRoleName is the role serverless-iam-roles-per-function creates
// for a function with iamRoleStatements (even an empty list):
// iamRoleStatementsName, else <service>-<stage>-<function>-<region>-lambdaRole,
// without "-lambdaRole" when that is over IAM's 64 characters; still too
// long, the plugin stops, and so do we.
func perFunctionRoleName(svc *Service, f *Function) (string, bool, *diag.Finding) {
	st := f.Node.GetPair("iamRoleStatements")
	if st == nil || st.Value.IsNull() || f.Node.Get("role").Truthy() || !slices.Contains(f.Plugins, perFunctionPlugin) {
		return "", false, nil
	}
	if n := f.Node.Get("iamRoleStatementsName"); n.IsString() && n.Str != "" {
		return n.Str, true, nil
	}
	name := fmt.Sprintf("%s-%s-%s-%s-lambdaRole", svc.Name, svc.Stage, f.Name, svc.Region)
	if len(name) > maxRoleName {
		name = strings.TrimSuffix(name, "-lambdaRole")
	}
	if len(name) > maxRoleName {
		return "", false, &diag.Finding{Rule: RoleRule, Severity: diag.Error, Range: f.Key.Range, Message: fmt.Sprintf(
			"serverless-iam-roles-per-function names this function's role %q, over IAM's %d characters, and stops; set iamRoleStatementsName", name, maxRoleName)}
	}
	return name, true, nil
}

// roleOf finds the role name in a role ARN, or in the RoleName of a
// role defined under resources.Resources.
func roleOf(svc *Service, role *node.Node) (Role, *diag.Finding) {
	if role.IsString() {
		if strings.HasPrefix(role.Str, "arn:") {
			name, bad := roleNameFromARN(role)
			return Role{Name: name}, bad
		}
		return roleFromResources(svc, role, role.Str)
	}
	if ga := role.Get("Fn::GetAtt"); ga.IsSeq() && len(ga.Items) > 0 && ga.Items[0].IsString() {
		return roleFromResources(svc, role, ga.Items[0].Str)
	}
	if sub := role.Get("Fn::Sub"); sub.IsString() {
		if i := strings.LastIndex(sub.Str, "/"); i >= 0 && strings.Contains(sub.Str, ":role/") && !strings.Contains(sub.Str[i:], "${") {
			return Role{Name: sub.Str[i+1:]}, nil
		}
	}
	return Role{}, roleFail(role, "the execution role (%s) cannot be named offline", intrinsicName(role))
}

func roleNameFromARN(role *node.Node) (string, *diag.Finding) {
	_, res, ok := strings.Cut(role.Str, ":role/")
	if !ok || res == "" {
		return "", roleFail(role, "%q is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", role.Str)
	}
	// A role path comes before the name: role/path/to/name.
	return res[strings.LastIndex(res, "/")+1:], nil
}

func roleFromResources(svc *Service, role *node.Node, logicalID string) (Role, *diag.Finding) {
	res := svc.Root.Path("resources", "Resources", logicalID)
	if name := res.Path("Properties", "RoleName"); name.IsString() && name.Unresolved == "" && !strings.Contains(name.Str, "${") {
		return Role{Name: name.Str}, nil
	}
	if t := res.Get("Type"); t.IsString() && t.Str == "AWS::IAM::Role" {
		// CloudFormation names it (or RoleName is an intrinsic): its
		// physical ID in the Serverless stack is the name.
		return Role{LogicalID: logicalID, Node: role}, nil
	}
	if res != nil {
		return Role{}, roleFail(role, "the execution role %q is defined in the Serverless stack without a literal RoleName", logicalID)
	}
	return Role{}, roleFail(role, "the execution role %q is a logical ID of another stack", logicalID)
}

func roleFail(n *node.Node, format string, args ...any) *diag.Finding {
	msg := fmt.Sprintf(format, args...) + "; a standalone template attaches its stream policy by role name: give the role as an ARN, give it a literal RoleName, or pass --role-name"
	return &diag.Finding{Rule: RoleRule, Severity: diag.Error, Message: msg, Range: n.Range}
}
