"""The public site's pages (Wagtail): home, posts and their index, content pages such as
the programme, statements and resolutions; topics; the image model.

Every page exists in each language's tree: as a translation (wagtail-localize) or, until
one is made, as an alias of the original, which shows the original with a notice
(``services.sync_aliases``). Business rules (teasers, listings, aliases, the page cache)
are in ``services``; the models hold fields and the page's own context.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from solidar.publishing.blocks import TEXT_FEATURES, BodyBlock, DecisionsBlock


# -- images --------------------------------------------------------------------------------
class SiteImage(AbstractImage):
    """An uploaded image: re-encoded without metadata on upload (``images.strip_metadata``),
    with a required text alternative and the credit shown under it."""

    description = models.CharField(
        max_length=255,
        verbose_name=_("Text alternative"),
        help_text=_("What the image shows, for people who cannot see it. Required."),
    )
    credit = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("Credit"),
        help_text=_("Photographer or source, as it should appear under the image."),
    )

    admin_form_fields = (
        "title",
        "file",
        "description",
        "credit",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# -- topics --------------------------------------------------------------------------------
class Topic(TranslatableMixin, models.Model):
    """A subject posts are filed under (a snippet, translated like pages)."""

    name = models.CharField(max_length=80, verbose_name=_("Name"))
    slug = models.SlugField(
        max_length=80,
        allow_unicode=True,
        verbose_name=_("Slug"),
        help_text=_("The topic's address, the same in every language."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="publishing_topic_slug")
        ]

    def __str__(self) -> str:
        return self.name


# -- pages ---------------------------------------------------------------------------------
class HomePage(Page):
    """The root of each language's tree (``core/home.html`` with the latest posts)."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "publishing.PostIndexPage",
        "publishing.ContentPage",
        "publishing.StatementIndexPage",
    ]
    max_count_per_parent = 4  # one per language under the tree's root

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        context = super().get_context(request, *args, **kwargs)
        context["latest_posts"] = services.latest_posts(self.locale, limit=6)
        context["post_index"] = services.post_index(self.locale)
        context["programme"] = services.programme_page(self.locale)
        return services.page_context(self, context)


class ContentPage(Page):
    """A page of its own: the programme, "about us", how to join."""

    intro = models.TextField(blank=True, max_length=500, verbose_name=_("Introduction"))
    is_programme = models.BooleanField(
        default=False,
        verbose_name=_("This is the programme"),
        help_text=_("Linked from the home page and the main menu."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("Body"))

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [*Page.promote_panels, FieldPanel("is_programme")]
    subpage_types = ["publishing.ContentPage"]

    class Meta:
        verbose_name = _("content page")

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        return services.page_context(self, super().get_context(request, *args, **kwargs))


class PostIndexPage(RoutablePageMixin, Page):
    """All posts of a language: by date, by topic, by month; and their feeds."""

    intro = models.TextField(blank=True, max_length=500, verbose_name=_("Introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.PostPage"]

    class Meta:
        verbose_name = _("post index")

    def _listing(self, request, *, topic=None, month=None):
        from solidar.publishing import services

        context = self.get_context(request)
        context.update(
            services.post_listing(self, request.GET.get("page"), topic=topic, month=month)
        )
        return self.render(request, context_overrides=context)

    @path("")
    def all_posts(self, request):
        return self._listing(request)

    @path("topic/<str:slug>/")
    def by_topic(self, request, slug):
        from solidar.publishing import services

        return self._listing(request, topic=services.get_topic(self.locale, slug))

    @re_path(r"^(?P<year>\d{4})/(?P<month>\d{2})/$")
    def by_month(self, request, year, month):
        from solidar.publishing import services

        return self._listing(request, month=services.parse_month(year, month))

    # Wagtail hands a routable page its remaining path with a slash added ("feed.rss/");
    # the optional slash lets the links be reversed without one (publishing/urls.py).
    @re_path(r"^feed\.rss/?$", name="feed_rss")
    @re_path(r"^feed\.atom/?$", name="feed_atom")
    @re_path(r"^topic/(?P<slug>[-\w]+)/feed\.rss/?$", name="topic_feed_rss")
    @re_path(r"^topic/(?P<slug>[-\w]+)/feed\.atom/?$", name="topic_feed_atom")
    def feed(self, request, slug=None):
        from solidar.publishing import feeds

        return feeds.serve_feed(self, request, topic_slug=slug)

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        return services.page_context(self, super().get_context(request, *args, **kwargs))


class PostPage(Page):
    """A post: date, author (a pseudonym or a public collective), topics, teaser, body."""

    date = models.DateField(default=timezone.localdate, verbose_name=_("Date"))
    author_name = models.CharField(
        max_length=100,
        blank=True,
        verbose_name=_("Author"),
        help_text=_("A pseudonym. Leave empty when a collective signs the post."),
    )
    author_collective = models.ForeignKey(
        "network.Collective",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"visibility": "public", "is_active": True},
        verbose_name=_("Signed by a collective"),
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="posts", verbose_name=_("Topics")
    )
    teaser = models.TextField(
        blank=True,
        max_length=400,
        verbose_name=_("Teaser"),
        help_text=_("Shown in lists and feeds. Leave empty to use the start of the text."),
    )
    cover = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cover image"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("Body"))

    search_fields = [*Page.search_fields, index.SearchField("teaser"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("author_name"),
                FieldPanel("author_collective"),
                FieldPanel("topics"),
            ],
            heading=_("About this post"),
        ),
        FieldPanel("teaser"),
        FieldPanel("cover"),
        FieldPanel("body"),
    ]
    parent_page_types = ["publishing.PostIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def clean(self):
        from solidar.publishing import services

        super().clean()
        services.validate_post(self)

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        return services.page_context(self, super().get_context(request, *args, **kwargs))


class StatementIndexPage(Page):
    intro = models.TextField(blank=True, max_length=500, verbose_name=_("Introduction"))

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["publishing.HomePage"]
    subpage_types = ["publishing.StatementPage"]

    class Meta:
        verbose_name = _("statement index")

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        context = super().get_context(request, *args, **kwargs)
        context["statements"] = services.statements(self)
        return services.page_context(self, context)


class StatementPage(Page):
    """A statement or resolution: numbered decisions, who adopted them and when."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        RESOLUTION = "resolution", _("Resolution")

    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.RESOLUTION, verbose_name=_("Kind")
    )
    number = models.CharField(
        max_length=40, verbose_name=_("Number"), help_text=_("For example 2024/3.")
    )
    adopted_by = models.CharField(
        max_length=200,
        verbose_name=_("Adopted by"),
        help_text=_("The body that adopted it, for example the forum in Köln."),
    )
    adopted_on = models.DateField(verbose_name=_("Adopted on"))
    preamble = RichTextField(blank=True, features=TEXT_FEATURES, verbose_name=_("Preamble"))
    decisions = StreamField(DecisionsBlock(), verbose_name=_("Decisions"))

    search_fields = [
        *Page.search_fields,
        index.SearchField("preamble"),
        index.SearchField("decisions"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("number"),
                FieldPanel("adopted_by"),
                FieldPanel("adopted_on"),
            ],
            heading=_("Adoption"),
        ),
        FieldPanel("preamble"),
        FieldPanel("decisions"),
    ]
    parent_page_types = ["publishing.StatementIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("statement or resolution")
        verbose_name_plural = _("statements and resolutions")

    def get_context(self, request, *args, **kwargs):
        from solidar.publishing import services

        return services.page_context(self, super().get_context(request, *args, **kwargs))


# -- search index --------------------------------------------------------------------------
class SearchEntry(models.Model):
    """What the public search looks through: one row per live, public page that has content
    in its own language (a post, a content page, a statement; never an alias, whose content
    is another language's). Kept by ``search.index_page``/``remove_page`` on publish,
    unpublish and deletion; ``rebuild_search_index`` writes all of them again.

    On PostgreSQL the table also has a ``vector`` column (a tsvector generated from title
    and text with the language's text search configuration) and a GIN index on it
    (migration 0003); the model does not declare it, the queries in ``search`` use it."""

    class Kind(models.TextChoices):
        POST = "post", _("Post")
        PAGE = "page", _("Page")
        STATEMENT = "statement", _("Statement")

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["language", "-date"], name="publishing_search_lang_date")]

    def __str__(self) -> str:
        return self.title
