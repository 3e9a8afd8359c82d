from django.contrib import admin

from mentoring.models import Assignment, Concern, MentorProfile, Note


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity"]
    search_fields = ["user__email", "user__full_name"]
    filter_horizontal = ["expertise", "places"]
    autocomplete_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["investment", "mentor", "assigned_at", "ended_at"]
    list_filter = ["ended_at"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["investment", "author", "kind", "visibility", "created_at"]


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["investment", "raised_by", "raised_at", "resolved_at"]
