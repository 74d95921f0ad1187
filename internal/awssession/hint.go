package awssession

// CredentialsExpected reports whether AWS credentials are meant to be
// available: role is set (role-to-assume), or the environment names
// credentials (keys, a profile, a web identity or container token). It
// probes nothing, so a job without AWS never waits on instance metadata.
func (s *Session) CredentialsExpected(role string) bool { return s.credentialHint(role) }
