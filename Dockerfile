# Production image: gunicorn serves the app (static files through WhiteNoise); the same image
# runs the Celery worker and beat. WeasyPrint's libraries and a Thai font are installed, and
# LibreOffice (with fonts of Office's widths), which converts office papers to PDF.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=osm.settings

RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      fonts-thai-tlwg fonts-noto-core gettext graphviz curl \
      libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
      fonts-crosextra-carlito fonts-liberation2 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install -e .
COPY . .
RUN python manage.py compilemessages --ignore=.venv -v0 \
 && DEBUG=false SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" python manage.py collectstatic --noinput -v0

RUN useradd --create-home --uid 1000 osm && mkdir -p /data/media /data/private_media && chown -R osm /data /app
USER osm
EXPOSE 8000
CMD ["gunicorn", "osm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", \
     "--access-logfile", "-", "--timeout", "60"]
