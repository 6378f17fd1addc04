from django.urls import path

from . import api, views

app_name = "claims"

urlpatterns = [
    path("conditions/", views.ConditionListView.as_view(), name="condition-list"),
    path("conditions/<slug:slug>/", views.ConditionDetailView.as_view(), name="condition-detail"),
    path("evidence/", views.EvidenceLegendView.as_view(), name="evidence-legend"),
    path("api/articles/<slug:slug>.json", api.article_json, name="article-json"),
]
