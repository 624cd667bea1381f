# The Texture Vault server (`vault-server serve`), without the desktop app: slim Python, the server's
# packages only (deploy/server_requirements.py reads them from pyproject.toml, leaving Qt out), run
# as an unprivileged user, healthy while /healthz answers. compose.yaml runs two of these behind Caddy.
#   docker build -t texture-vault-server .
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY deploy/server_requirements.py deploy/
RUN python deploy/server_requirements.py pyproject.toml > requirements.txt \
 && python -m venv /opt/vault \
 && /opt/vault/bin/pip install -r requirements.txt
COPY server_api ./server_api
COPY resources ./resources
RUN /opt/vault/bin/pip install --no-deps .

FROM python:3.12-slim
RUN useradd --system --uid 10001 --user-group --home-dir /srv/vault --create-home vault
COPY --from=build /opt/vault /opt/vault
ENV PATH=/opt/vault/bin:$PATH PYTHONUNBUFFERED=1 VAULT_DATA_DIR=/srv/vault/data
USER vault
WORKDIR /srv/vault
RUN mkdir -p /srv/vault/data
VOLUME /srv/vault/data
EXPOSE 8765
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8765/healthz', timeout=2)"]
CMD ["vault-server", "serve", "--data", "/srv/vault/data", "--host", "0.0.0.0", "--port", "8765"]
