FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/bureau
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && BUREAU_PROFILE=dev python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "bureau.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
