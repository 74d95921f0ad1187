package artifact

import (
	"errors"
	"fmt"
	"strings"
)

// invalidPathChars are rejected in artifact names and in entry paths. The
// list is the one @actions/artifact enforces (upload/path-and-artifact-name-
// validation.ts): the service refuses them because NTFS cannot store them.
var invalidPathChars = []struct {
	char, desc string
}{
	{`"`, "double quote"},
	{":", "colon"},
	{"<", "less than"},
	{">", "greater than"},
	{"|", "vertical bar"},
	{"*", "asterisk"},
	{"?", "question mark"},
	{"\r", "carriage return"},
	{"\n", "line feed"},
}

// invalidNameChars adds the path separators: a name is one path segment.
var invalidNameChars = append(invalidPathChars[:len(invalidPathChars):len(invalidPathChars)],
	struct{ char, desc string }{`\`, "backslash"},
	struct{ char, desc string }{"/", "forward slash"},
)

// ValidateName reports whether name is accepted by the artifact service as
// an artifact name: non-empty and free of " : < > | * ? \r \n \ /.
func ValidateName(name string) error {
	if name == "" {
		return errors.New("artifact name is empty")
	}
	for _, c := range invalidNameChars {
		if strings.Contains(name, c.char) {
			return fmt.Errorf("artifact name %q contains a %s (%q); not allowed: \" : < > | * ? \\r \\n \\ /", name, c.desc, c.char)
		}
	}
	return nil
}

// ValidatePath reports whether p is a safe entry path inside an artifact zip.
// Beyond the characters @actions/artifact rejects, it requires a relative,
// clean, forward-slash path so that extracting the zip can never write
// outside the target directory (zip slip) or depend on the host's separator.
func ValidatePath(p string) error {
	if p == "" {
		return errors.New("entry path is empty")
	}
	for _, c := range invalidPathChars {
		if strings.Contains(p, c.char) {
			return fmt.Errorf("entry path %q contains a %s (%q)", p, c.desc, c.char)
		}
	}
	if strings.ContainsFunc(p, isControl) {
		return fmt.Errorf("entry path %q contains a control character", p)
	}
	if strings.Contains(p, `\`) {
		return fmt.Errorf("entry path %q contains a backslash; use forward slashes", p)
	}
	if strings.HasPrefix(p, "/") {
		return fmt.Errorf("entry path %q is absolute; use a relative path", p)
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "", ".", "..":
			return fmt.Errorf("entry path %q has an empty, %q or %q segment", p, ".", "..")
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
