app_name = "leave"
urlpatterns: list = []
