#!/bin/sh
# Validates a directory of public CloudFormation templates and prints the
# summary of TestPublicCorpus: templates, crashes, refused files, errors per
# rule and how many of those templates cfn-lint passes.
#
#   tools/corpus.sh DIR
#
# DIR holds unpacked template collections, e.g. (never committed here):
#   git clone --depth 1 https://github.com/aws-cloudformation/aws-cloudformation-templates DIR/awscfn
#   git clone --depth 1 https://github.com/widdix/aws-cf-templates DIR/widdix
# cfn-lint runs once over every file (minutes); its output is kept in
# DIR/cfnlint.txt and reused while it is newer than the file list.
set -eu
dir=$(cd "$1" && pwd)
find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) \
	-exec grep -l Resources {} + | sort > "$dir/files.txt"
if [ ! -s "$dir/cfnlint.txt" ] || [ "$dir/files.txt" -nt "$dir/cfnlint.txt" ]; then
	(cd "$dir" && xargs cfn-lint --format parseable < files.txt > cfnlint.txt) || true
fi
CFNGEN_CORPUS="$dir" CFNGEN_CORPUS_CFNLINT="$dir/cfnlint.txt" \
	go test ./internal/validate -run '^TestPublicCorpus$' -count=1 -v | sed -n '/files:/,/^--- /p'
