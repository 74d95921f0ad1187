package deploy

import "errors"

// CheckReplacements finds changes that CloudFormation would perform by
// creating a second event source mapping for the same function and source
// before deleting the first, which Lambda rejects with
// ResourceConflictException (validation.md R6, R36). That happens when a
// create-only property such as StartingPosition changes while
// EventSourceArn and FunctionName stay. If either of those changes too,
// the new mapping does not conflict and the change is allowed.
func CheckReplacements(changes []Change) error {
	var errs []error
	for _, c := range changes {
		if prop := conflictingReplacement(c); prop != "" {
			errs = append(errs, &RejectedReplacementError{LogicalID: c.LogicalID, Property: prop})
		}
	}
	return errors.Join(errs...)
}

// conflictingReplacement returns the property forcing a conflicting
// replacement of c, or "".
func conflictingReplacement(c Change) string {
	if c.Type != "AWS::Lambda::EventSourceMapping" || c.Action != "Modify" ||
		(c.Replacement != "True" && c.Replacement != "Conditional") {
		return ""
	}
	cause := ""
	for _, t := range c.Targets {
		if t.Attribute != "Properties" {
			continue
		}
		if t.Name == "EventSourceArn" || t.Name == "FunctionName" {
			return ""
		}
		if cause == "" && (t.RequiresRecreation == "Always" || t.RequiresRecreation == "Conditionally") {
			cause = t.Name
		}
	}
	return cause
}
