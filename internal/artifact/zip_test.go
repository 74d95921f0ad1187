package artifact

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestBuildZip_Contents(t *testing.T) {
	files := []File{
		{Name: "summary.md", Data: []byte("# Summary\n")},
		{Name: "serverless/template.json", Data: []byte(`{"Resources":{}}`)},
		{Name: "empty.txt", Data: nil},
	}
	b, err := BuildZip(files)
	if err != nil {
		t.Fatal(err)
	}
	got := readZip(t, b)
	want := map[string]string{
		"empty.txt":                "",
		"serverless/template.json": `{"Resources":{}}`,
		"summary.md":               "# Summary\n",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("zip contents (-want +got):\n%s", d)
	}
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Deflate || !f.Modified.Equal(zipModTime) || f.Mode() != 0o644 {
			t.Errorf("%s: method %d, modified %v, mode %v", f.Name, f.Method, f.Modified, f.Mode())
		}
	}
	if d := cmp.Diff([]string{"empty.txt", "serverless/template.json", "summary.md"}, names); d != "" {
		t.Errorf("entries not sorted (-want +got):\n%s", d)
	}
}

func TestBuildZip_Deterministic(t *testing.T) {
	a := []File{{Name: "b.json", Data: []byte("B")}, {Name: "a/x.md", Data: bytes.Repeat([]byte("x"), 5000)}}
	b := []File{a[1], a[0]} // same files, other order
	first, err := BuildZip(a)
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range [][]File{a, b, a} {
		got, err := BuildZip(in)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, got) {
			t.Errorf("build %d differs from the first", i)
		}
	}
	if a[0].Name != "b.json" {
		t.Error("BuildZip reordered the caller's slice")
	}
}

func TestBuildZip_Rejects(t *testing.T) {
	tests := map[string]struct {
		files   []File
		wantErr string
	}{
		"no files":            {files: nil, wantErr: "no files"},
		"duplicate":           {files: []File{{Name: "a"}, {Name: "b"}, {Name: "a"}}, wantErr: `duplicate entry path "a"`},
		"absolute":            {files: []File{{Name: "/a"}}, wantErr: "absolute"},
		"dot-dot":             {files: []File{{Name: "x/../../a"}}, wantErr: "segment"},
		"file is also a dir":  {files: []File{{Name: "a/b/c"}, {Name: "a/b"}}, wantErr: `"a/b/c" is below "a/b"`},
		"sibling is no clash": {files: []File{{Name: "a-b"}, {Name: "a/b"}, {Name: "a.b"}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := BuildZip(tt.files)
			checkErr(t, err, tt.wantErr)
		})
	}
}

func readZip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = string(data)
	}
	return out
}
