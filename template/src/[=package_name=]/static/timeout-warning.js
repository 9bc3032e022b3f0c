// The timeout warning (timeout/warning.html): opens a modal dialog a while before a
// journey's answers are deleted, counts down, and keeps the answers on "Continue" (or
// Escape). When time runs out, it shows the page that says what happened.
// WCAG 2.2.1 Timing Adjustable: warn, and let the user ask for more time simply.

const dialog = document.querySelector('[data-module="app-timeout-warning"]')
if (dialog && typeof dialog.showModal === 'function') {
  startTimeoutWarning(dialog)
}

function startTimeoutWarning (dialog) {
  const idleMs = Number(dialog.dataset.idleSeconds) * 1000
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000
  const sentences = JSON.parse(dialog.dataset.sentences)
  const timeLeft = dialog.querySelector('[data-time-left]')
  const announcement = dialog.querySelector('[data-announcement]')
  const keepForm = dialog.querySelector('form[data-keep]')
  let deadline = 0
  let opening = null
  let ticking = null
  let returnFocusTo = null
  let lastAnnounced = null

  // Whole minutes above one minute (rounded up), then seconds: the server wrote a
  // sentence for each of these, in the page's language.
  function secondsShown (msLeft) {
    const seconds = Math.max(1, Math.ceil(msLeft / 1000))
    return seconds > 60 ? Math.ceil(seconds / 60) * 60 : seconds
  }

  // Read out when the minute changes, and once at 20 seconds: not every second.
  function announcementMark (seconds) {
    if (seconds > 60) return seconds
    return seconds > 20 ? 60 : 20
  }

  function schedule () {
    deadline = Date.now() + idleMs
    clearTimeout(opening)
    opening = setTimeout(open, Math.max(0, idleMs - warningMs))
  }

  function open () {
    returnFocusTo = document.activeElement
    lastAnnounced = null
    update()
    dialog.showModal()
    ticking = setInterval(update, 1000)
  }

  function update () {
    const msLeft = deadline - Date.now()
    if (msLeft <= 0) {
      clearInterval(ticking)
      window.location.assign(dialog.dataset.timedOutUrl)
      return
    }
    const seconds = secondsShown(msLeft)
    const sentence = sentences[String(seconds)]
    timeLeft.textContent = sentence
    const mark = announcementMark(seconds)
    // The first sentence is read with the dialog (aria-describedby); later ones here.
    if (lastAnnounced !== null && mark !== lastAnnounced) {
      announcement.textContent = sentence
    }
    lastAnnounced = mark
  }

  function close () {
    clearInterval(ticking)
    dialog.close()
    announcement.textContent = ''
    if (returnFocusTo && typeof returnFocusTo.focus === 'function') {
      returnFocusTo.focus()
    }
  }

  async function keepAnswers (event) {
    event.preventDefault()
    let kept = false
    try {
      const response = await fetch(keepForm.action, {
        method: 'POST',
        body: new FormData(keepForm),
        credentials: 'same-origin'
      })
      kept = response.ok
    } catch {
      // Offline for a moment: the answers are still there until the deadline, so the
      // dialog stays open for another try.
      if (Date.now() < deadline) return
    }
    if (!kept) {
      window.location.assign(dialog.dataset.timedOutUrl)
      return
    }
    close()
    schedule()
  }

  // Focus stays in the dialog: Tab from the last button goes to the first, and back.
  function keepFocusInside (event) {
    if (event.key !== 'Tab') return
    const focusable = dialog.querySelectorAll('button, [href], input:not([type="hidden"])')
    const first = focusable[0]
    const last = focusable[focusable.length - 1]
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault()
      last.focus()
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault()
      first.focus()
    }
  }

  keepForm.addEventListener('submit', keepAnswers)
  dialog.addEventListener('keydown', keepFocusInside)
  // Escape means "I'm still here": keep the answers, as Continue does.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    keepForm.requestSubmit()
  })
  schedule()
  // As GOV.UK Frontend marks its components: started, and counting from now.
  dialog.setAttribute('data-app-timeout-warning-init', '')
}
