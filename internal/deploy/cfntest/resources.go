package cfntest

import "strings"

// Resource is one resource of a seeded stack, as DescribeStackResources
// reports it.
type Resource struct {
	LogicalID, Type, PhysicalID string
	Status                      string // CREATE_COMPLETE when empty
}

// SetResources gives a seeded stack (a Serverless stack, say) its
// resources.
func (s *Server) SetResources(stackName string, res ...Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.mustStack(stackName)
	st.resources = append([]Resource(nil), res...)
}

func (s *Server) describeStackResources(get form) (string, *Fault) {
	st := s.stack(get("StackName"))
	if st == nil {
		return "", notExist(get("StackName"))
	}
	var b strings.Builder
	b.WriteString("<StackResources>")
	for _, r := range st.resources {
		status := r.Status
		if status == "" {
			status = "CREATE_COMPLETE"
		}
		b.WriteString("<member>" + el("StackName", st.name) + el("StackId", st.id) + el("LogicalResourceId", r.LogicalID) +
			el("PhysicalResourceId", r.PhysicalID) + el("ResourceType", r.Type) + el("Timestamp", "2026-11-28T03:00:00.000Z") +
			el("ResourceStatus", status) + "</member>")
	}
	b.WriteString("</StackResources>")
	return b.String(), nil
}
