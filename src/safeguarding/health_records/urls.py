app_name = "health_records"
urlpatterns: list = []
