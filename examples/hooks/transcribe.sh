#!/bin/sh
# transcribe.sh SITE_ROOT: a [[notify]] command hook that runs your own transcriber for a new
# stub whose show publishes no transcript, and writes transcript.md where syndicator puts the
# shows' own: beside index.md in a page bundle, else in <site>/_raw/<section>/<stub name>/.
# Hugo publishes neither. Wire it up in syndicator's config:
#
#   [[notify]]
#   kind = "command"
#   command = ["/path/to/transcribe.sh", "/path/to/your/hugo/site"]
#   events = ["stub.written"]
#   timeout_secs = 3600
#
# It uses yt-dlp to fetch the audio of the stub's source_url (the YouTube video, else the
# episode's page) and openai-whisper to transcribe it; swap in any tool that turns audio into
# text. It never replaces a transcript that is already there (the show's own, or yours).
set -eu

site=${1:?usage: transcribe.sh SITE_ROOT}
[ "${SYNDICATOR_EVENT:-}" = "stub.written" ] || exit 0
stub="$site/$SYNDICATOR_PATH"
case "$SYNDICATOR_PATH" in
  */index.md) dir=$(dirname "$stub") ;;
  content/*) relative=${SYNDICATOR_PATH#content/}; dir="$site/_raw/${relative%.md}" ;;
  *) exit 0 ;;
esac
[ -e "$dir/transcript.md" ] && exit 0

url=$(sed -n 's/^source_url: "\(.*\)"$/\1/p' "$stub" | head -n 1)
[ -n "$url" ] || exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
yt-dlp --quiet --extract-audio --audio-format mp3 --output "$work/audio.%(ext)s" "$url"
whisper "$work/audio.mp3" --model small --output_format txt --output_dir "$work" >&2

# Hugo reads every Markdown file in a bundle, even one it never publishes: a "{{" in the text
# could start a shortcode and fail the site's build, so it is written as "{&#123;".
{
  printf '# Transcript (machine-made from %s)\n\n' "$url"
  sed 's/{{/{\&#123;/g' "$work/audio.txt"
} > "$work/transcript.md"
mkdir -p "$dir"
# noclobber: never over a transcript that appeared in the meantime.
(set -C; cat "$work/transcript.md" > "$dir/transcript.md") 2>/dev/null || [ -e "$dir/transcript.md" ]
