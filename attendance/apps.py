from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self):
        from celery.schedules import crontab
        from django.db.models.signals import post_delete, post_save
        from django.urls import reverse

        from approvals.hooks import register_subject
        from attendance import navigation as att_navigation
        from attendance import plan, policies  # noqa: F401
        from attendance import why as attendance_why
        from attendance.excuses import (
            register_change_listener,
            register_excuse_provider,
        )
        from attendance.selectors import business_excuses, going_out_absences
        from attendance.services.going_out import going_out_on_outcome
        from attendance.services.study import study_leave_on_outcome
        from attendance.tasks import rejudge_after_commit
        from attendance.violations import register_violations
        from bureau import navigation, roles
        from bureau.celery import app
        from bureau.models import CalendarDay, Policy, Role, SeasonalSchedule
        from meetings.absences import register_absence_provider

        register_excuse_provider("business", business_excuses)
        # Who is away (meetings.absences): going out on acknowledged business, as
        # approved leave is (SVC-4: a window's B post stands in for the A post).
        register_absence_provider("going_out", going_out_absences)
        # ATT-8: when excuses change (leave, going out), settled sessions are judged
        # again after commit, in a task (attendance.tasks.rejudge_sessions).
        register_change_listener("attendance.rejudge", rejudge_after_commit)
        # ATT-7, ATT-9: decided through the approval engine (one "waiting for me").
        register_subject(
            "attendance.goingout",
            on_outcome=going_out_on_outcome,
            url=lambda object_id: reverse("attendance:going_out_list"),
        )
        register_subject(
            "attendance.studyleave",
            on_outcome=study_leave_on_outcome,
            url=lambda object_id: reverse("attendance:study_list"),
        )
        register_violations()
        attendance_why.register()

        for model in (CalendarDay, SeasonalSchedule, Policy):
            post_save.connect(
                plan.invalidate, sender=model, dispatch_uid=f"att-{model}"
            )
            post_delete.connect(
                plan.invalidate, sender=model, dispatch_uid=f"att-d-{model}"
            )

        models = ["sessionrecord", "goingout", "awayfrompost", "studysession"]
        roles.grant(
            Role.ATTENDANCE_CLERK,
            [f"attendance.view_{m}" for m in models]
            + [
                # Corrections go through the correction page and its service
                # (nobody corrects their own record), never the admin's form.
                "attendance.correct_sessionrecord",
                "attendance.add_awayfrompost",
                "attendance.change_studysession",
                "attendance.add_studysession",
                "attendance.view_studyattendance",
                "attendance.view_studyleave",
                "attendance.view_monthclose",
                "attendance.close_month",
                "attendance.view_sheet",
                "attendance.view_longabsenceflag",
            ],
        )
        leaders = [
            "attendance.view_sessionrecord",
            "attendance.view_goingout",
            "attendance.view_studyleave",
        ]
        for role in (Role.SECTION_HEAD, Role.UNIT_HEAD, Role.DEPUTY, Role.DIRECTOR):
            roles.grant(role, leaders)
        roles.grant(
            Role.ADMINISTRATOR,
            [
                f"attendance.{action}_{m}"
                for m in models
                + ["sheet", "studyattendance", "studyleave", "monthclose"]
                for action in ("view",)
            ],
        )

        att_navigation.register_navigation(navigation)
        app.conf.beat_schedule.update(
            {
                "attendance-process-sheets": {
                    "task": "attendance.tasks.process_sheets",
                    "schedule": crontab(minute="*"),
                },
                "attendance-schedule-study": {
                    "task": "attendance.tasks.schedule_study_sessions",
                    "schedule": crontab(minute=0, hour=6, day_of_week="mon"),
                },
            }
        )
