package artifact

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func jwt(payload string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"RS256"}`)) + "." + enc.EncodeToString([]byte(payload)) + ".sig"
}

func TestBackendIDsFromToken(t *testing.T) {
	tests := map[string]struct {
		token   string
		want    backendIDs
		wantErr string
	}{
		"results scope among others": {
			token: jwt(`{"scp":"Actions.ExampleScope Actions.Results:ce7f54c7:ca395085"}`),
			want:  backendIDs{run: "ce7f54c7", job: "ca395085"},
		},
		"scp as array": {
			token: jwt(`{"scp":["Actions.Results:r:j"]}`),
			want:  backendIDs{run: "r", job: "j"},
		},
		"padded payload": {
			token: "e30." + base64.URLEncoding.EncodeToString([]byte(`{"scp":"Actions.Results:r:j"}`)) + ".s",
			want:  backendIDs{run: "r", job: "j"},
		},
		"no results scope":   {token: jwt(`{"scp":"Actions.GenericRead:abc"}`), wantErr: "no \"Actions.Results"},
		"results, two parts": {token: jwt(`{"scp":"Actions.Results:only-run"}`), wantErr: "no \"Actions.Results"},
		"results, 4 parts":   {token: jwt(`{"scp":"Actions.Results:a:b:c"}`), wantErr: "no \"Actions.Results"},
		"results, empty ids": {token: jwt(`{"scp":"Actions.Results::"}`), wantErr: "no \"Actions.Results"},
		"no scp":             {token: jwt(`{"sub":"x"}`), wantErr: "no scp"},
		"payload not json":   {token: jwt(`not json`), wantErr: "not a JSON object"},
		"payload not b64":    {token: "a.!!!.c", wantErr: "not base64url"},
		"not a jwt":          {token: "ghs_secretvalue", wantErr: "not a JWT"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := backendIDsFromToken(tt.token)
			checkErr(t, err, tt.wantErr)
			if err != nil {
				if !errors.Is(err, ErrNoBackendIDs) || !IsUnavailable(err) {
					t.Errorf("error %v is not ErrNoBackendIDs/unavailable", err)
				}
				if strings.Contains(err.Error(), tt.token) {
					t.Errorf("error quotes the token: %v", err)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
