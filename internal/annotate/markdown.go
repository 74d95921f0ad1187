package annotate

import (
	"net/url"
	"path"
	"strconv"
	"strings"
)

// tableRow formats escaped-or-trusted cells as one Markdown table row.
func tableRow(cells ...string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// RepoInfo locates the analysed commit on GitHub so the summary can link
// findings to source lines. It mirrors GITHUB_SERVER_URL, GITHUB_REPOSITORY
// and GITHUB_SHA; when Repository or SHA is empty or malformed, locations
// are printed without links.
type RepoInfo struct {
	ServerURL  string // e.g. "https://github.com"; empty means that
	Repository string // "owner/name"
	SHA        string // full commit SHA
}

// blobURL returns the link to lines [line, endLine] of file at the commit,
// or "" when no trustworthy link can be built.
func (r RepoInfo) blobURL(file string, line, endLine int) string {
	server := strings.TrimRight(r.ServerURL, "/")
	if server == "" {
		server = "https://github.com"
	}
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	if !validRepository(r.Repository) || !isHex(r.SHA) || !linkablePath(file) {
		return ""
	}
	link := server + "/" + r.Repository + "/blob/" + r.SHA + "/" + escapeURLPath(file)
	if line >= 1 {
		link += "#L" + strconv.Itoa(line)
		if endLine > line {
			link += "-L" + strconv.Itoa(endLine)
		}
	}
	return link
}

// linkablePath reports whether file is a clean path inside the repository.
func linkablePath(file string) bool {
	if file == "" || path.IsAbs(file) || strings.Contains(file, `\`) {
		return false
	}
	clean := path.Clean(file)
	return clean == file && clean != ".." && !strings.HasPrefix(clean, "../")
}

// escapeURLPath percent-encodes each segment, and also the parentheses that
// url.PathEscape allows but that would end a Markdown link destination.
func escapeURLPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		s = url.PathEscape(s)
		segs[i] = strings.NewReplacer("(", "%28", ")", "%29").Replace(s)
	}
	return strings.Join(segs, "/")
}

func validRepository(repo string) bool {
	owner, name, ok := strings.Cut(repo, "/")
	return ok && isRepoName(owner) && isRepoName(name)
}

func isRepoName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	if len(s) < 7 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
