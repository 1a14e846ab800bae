#!/bin/sh
# azd preprovision hook (azure.yaml): makes the two secrets of main.parameters.json once per azd environment and keeps
# them there (.azure/<environment>/.env), so that every later `azd up` passes the same values. Set your own first with
# `azd env set WEBHOOKS_ADMIN_API_KEY ...` to choose them.
set -eu

ensure() {
  name=$1
  generate=$2
  if [ -z "$(azd env get-value "$name" 2>/dev/null || true)" ]; then
    azd env set "$name" "$(sh -c "$generate")"
    echo "azd-secrets: generated $name (read it with: azd env get-value $name)"
  fi
}

command -v openssl >/dev/null || { echo "azd-secrets: openssl is required to generate the secrets" >&2; exit 1; }
ensure WEBHOOKS_ADMIN_API_KEY "openssl rand -hex 32"
ensure WEBHOOKS_SECRET_ENCRYPTION_KEY "openssl rand -base64 32"
