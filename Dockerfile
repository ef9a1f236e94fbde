# One image for web (gunicorn), worker and beat (celery). Settings come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml requirements.lock README.md LICENSE ./
RUN pip install -c requirements.lock .

COPY . .
RUN useradd --create-home --uid 1000 portal \
    && mkdir -p /app/var/media /app/staticfiles \
    && chown -R portal:portal /app/var /app/staticfiles
USER portal

EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
